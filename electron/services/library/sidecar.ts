// The JSON sidecar stored beside each snapshot's bytes.
import {
  describeProblems,
  obj,
  str,
  literal,
  snapshotMeta,
  type SnapshotMeta,
} from '../../../core/contract';

export const SIDECAR_FORMAT = 'pprof-studio-snapshot';
export const SIDECAR_VERSION = 1;
export const SIDECAR_EXT = '.json';
/** Sidecars are small; anything bigger is not ours. */
export const MAX_SIDECAR_BYTES = 1024 * 1024;

export interface Sidecar {
  format: typeof SIDECAR_FORMAT;
  version: typeof SIDECAR_VERSION;
  /** The data file's name, in the same folder. */
  dataFile: string;
  meta: SnapshotMeta;
}

const sidecarValidator = obj<Sidecar>({
  format: literal(SIDECAR_FORMAT),
  version: literal(SIDECAR_VERSION),
  dataFile: str({ min: 1, max: 128, pattern: /^[A-Za-z0-9_-]+\.[a-z.]+$/ }),
  meta: snapshotMeta,
});

export function encodeSidecar(dataFile: string, meta: SnapshotMeta): string {
  const s: Sidecar = { format: SIDECAR_FORMAT, version: SIDECAR_VERSION, dataFile, meta };
  return `${JSON.stringify(s, null, 2)}\n`;
}

/** Parses a sidecar; returns the reason when it is not a valid one. */
export function decodeSidecar(text: string): Sidecar | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { problem: `not valid JSON (${why}): a torn write or a foreign file` };
  }
  if (
    typeof raw !== 'object' ||
    raw === null ||
    (raw as { format?: unknown }).format !== SIDECAR_FORMAT
  )
    return { problem: 'a JSON file that is not a pprof Studio sidecar' };
  const r = sidecarValidator.check(raw, '');
  if (!r.ok) return { problem: `sidecar fields are invalid: ${describeProblems(r.problems)}` };
  return r.value;
}
