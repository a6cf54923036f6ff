// Parsing a Go execution trace into a TraceModel: all at once, or incrementally (a Worker
// feeds the file chunk by chunk and reports progress).
import { ModelBuilder } from './builder';
import { TraceError, type TraceWarning } from './errors';
import type { TraceModel } from './model';
import { estimateTransitions } from './precount';
import { TraceReader } from './reader';

export interface ParseOptions {
  /** Called now and then with bytes processed and the total (0 when unknown). */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** The file size, for progress reports and to size the tables (parseTrace sets it). */
  totalBytes?: number;
  /** Expected goroutine transitions, to allocate their table once (parseTrace estimates it). */
  expectedTransitions?: number;
}

/**
 * An incremental parser: push() chunks in file order, then finish(). Only the generation being
 * read is buffered, so the file never needs to be in memory as a whole.
 */
export class TraceParser {
  private readonly builder: ModelBuilder;
  private readonly reader: TraceReader;
  private error: TraceError | null = null;

  constructor(options: ParseOptions = {}) {
    this.builder = new ModelBuilder(options.totalBytes ?? 0, options.expectedTransitions ?? 0);
    const opts: { onProgress?: (d: number, t: number) => void; totalBytes?: number } = {};
    if (options.onProgress) opts.onProgress = options.onProgress;
    if (options.totalBytes !== undefined) opts.totalBytes = options.totalBytes;
    this.reader = new TraceReader(this.builder, opts);
  }

  /** Adds the next bytes of the file. Throws TraceError when nothing of the trace is usable. */
  push(chunk: Uint8Array): void {
    if (this.error !== null) return;
    try {
      this.reader.push(chunk);
    } catch (err) {
      this.fail(err);
    }
  }

  /**
   * Ends the input and returns the model. A trace whose tail is broken or cut short yields
   * every complete generation before the problem, with a warning; a trace with no complete
   * generation throws the TraceError.
   */
  finish(): TraceModel {
    if (this.error === null) {
      try {
        this.reader.end();
      } catch (err) {
        this.fail(err);
      }
    }
    const warnings: TraceWarning[] = [];
    if (this.error !== null) {
      const err = this.error;
      if (this.builder.lastSync < 2) throw err;
      this.builder.truncateToLastSync();
      const kept = this.keptGenerations();
      warnings.push({
        kind: err.kind,
        message: `${err.message}. Showing the ${kept} complete generation${kept === 1 ? '' : 's'} read before the problem.`,
      });
    }
    return this.builder.finish(this.reader.goVersion, this.keptGenerations(), warnings);
  }

  private keptGenerations(): number {
    // Every generation start emits one Sync, and a complete trace ends with one more.
    return Math.max(0, this.builder.lastSync - 1);
  }

  private fail(err: unknown): void {
    if (!(err instanceof TraceError)) throw err;
    this.error = err;
    // Useful only if a whole generation was read: the last Sync kept is not the first one.
    if (this.builder.lastSync < 2) throw err;
  }
}

/** Parses a whole trace held in memory. */
export function parseTrace(bytes: Uint8Array, options: ParseOptions = {}): TraceModel {
  const parser = new TraceParser({
    ...options,
    totalBytes: options.totalBytes ?? bytes.length,
    expectedTransitions: options.expectedTransitions ?? estimateTransitions(bytes),
  });
  parser.push(bytes);
  return parser.finish();
}
