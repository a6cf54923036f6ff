// The last N lines a tunnel command printed, so the UI can show why kubectl or ssh failed.

export interface OutputLine {
  /** Milliseconds since the epoch. */
  at: number;
  stream: 'stdout' | 'stderr' | 'event';
  text: string;
}

const MAX_LINE = 4096;

export class OutputRing {
  private readonly lines: OutputLine[] = [];
  private readonly partial = { stdout: '', stderr: '' };

  constructor(private readonly capacity = 500) {}

  /** Appends a chunk of a stream; returns the complete lines it finished. */
  push(stream: 'stdout' | 'stderr', chunk: string, at = Date.now()): OutputLine[] {
    const text = this.partial[stream] + chunk;
    const parts = text.split(/\r?\n/);
    this.partial[stream] = parts.pop()!.slice(-MAX_LINE);
    return parts.map((p) => this.add({ at, stream, text: p.slice(0, MAX_LINE) }));
  }

  /** Flushes an unterminated last line (when the process exits). */
  flush(at = Date.now()): OutputLine[] {
    const out: OutputLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') {
        out.push(this.add({ at, stream, text: this.partial[stream] }));
        this.partial[stream] = '';
      }
    }
    return out;
  }

  add(line: OutputLine): OutputLine {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    return line;
  }

  snapshot(): OutputLine[] {
    return this.lines.slice();
  }
}
