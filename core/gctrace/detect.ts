// Whether bytes are a GC log, from a bounded prefix: the library's kind detection and the
// folder watcher call this on the head of a file, never on the whole of it.
import { isFault, MarkerScanner, readGcLine } from './line';

/** How much of a file is looked at to tell a GC log. */
export const GC_DETECT_BYTES = 256 * 1024;

/**
 * True when the first GC_DETECT_BYTES of `head` hold at least one complete, readable gctrace
 * line (alone or inside other log text) and no NUL byte. Linear in the prefix.
 */
export function looksLikeGcLog(head: Uint8Array): boolean {
  const bytes = head.subarray(0, GC_DETECT_BYTES);
  if (bytes.length < 2 || (bytes[0] === 0x1f && bytes[1] === 0x8b)) return false;
  if (bytes.includes(0)) return false;
  // The last line may be cut by the prefix: only whole lines count.
  const nl = bytes.length < head.length ? bytes.lastIndexOf(10) : bytes.length;
  if (nl <= 0) return false;
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, nl));
  const out = { end: 0 };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, Math.min(end, start + 4096));
    const scanner = new MarkerScanner(line);
    for (let m = scanner.find(0); m; m = scanner.find(out.end)) {
      if (m.kind !== 'gc') {
        out.end = m.at + 1;
        continue;
      }
      if (!isFault(readGcLine(line, m.at, out))) return true;
    }
    start = end + 1;
  }
  return false;
}
