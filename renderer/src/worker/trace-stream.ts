// The trace Worker fetches the snapshot's bytes itself (serve mode's binary GET, or the app's
// app:// route) and pushes each chunk into the parser as it arrives, so the file is never held
// in one piece, neither in the page nor here (the parser buffers only the generation being
// read).
import { TraceParser } from '../../../core/trace/parse';
import { WorkerError } from './rpc';
import type { ParsedTrace, TraceProgress } from './trace-session';

/** The server's error value for a refused read, or its status when the body is not one. */
async function refusal(res: Response): Promise<WorkerError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {
      ok?: boolean;
      error?: { kind?: unknown; message?: unknown };
    };
    const e = body.error;
    if (body.ok === false && typeof e?.kind === 'string' && typeof e.message === 'string')
      return new WorkerError(e.kind, `Could not read the snapshot: ${e.message}`);
  } catch {
    // Not JSON: reported by status below.
  }
  return new WorkerError(
    'transport',
    `Could not read the snapshot: the server answered ${res.status}${text ? `: ${text.trim().slice(0, 300)}` : ''}`,
  );
}

function broke(e: unknown): WorkerError {
  const why = e instanceof Error ? e.message : String(e);
  return new WorkerError('transport', `Could not read the snapshot: ${why}`);
}

/**
 * Streams a trace from `url` into the parser. `sizeHint` (the snapshot's size) stands in for
 * the total when the response has no Content-Length; it also sizes the parser's tables.
 */
export async function fetchTrace(
  url: string,
  sizeHint: number,
  progress: TraceProgress,
): Promise<ParsedTrace> {
  const t0 = performance.now();
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store', credentials: 'same-origin' });
  } catch (e) {
    throw broke(e);
  }
  if (!res.ok) throw await refusal(res);
  if (!res.body) throw new WorkerError('transport', 'Could not read the snapshot: no body');
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : Math.max(0, sizeHint);
  progress('parse', 0, total);
  // No transition pre-count here (it needs the whole file): the parser sizes its table from
  // the first generation's density and the total.
  const parser = new TraceParser({ totalBytes: total });
  const reader = res.body.getReader();
  let received = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw broke(e);
      }
      if (chunk.done) break;
      received += chunk.value.length;
      parser.push(chunk.value);
      progress('parse', received, Math.max(total, received));
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    throw e;
  }
  const model = parser.finish();
  progress('parse', received, received);
  return { model, fileBytes: received, parseMs: performance.now() - t0 };
}
