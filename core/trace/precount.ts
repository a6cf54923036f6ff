// An estimate of the number of goroutine transitions in a trace, so the transition
// table can be allocated once at its final size (growing it would briefly need twice the
// memory). Walks event batches and counts transition events without ordering anything; a
// GoSwitch yields three transitions, and status events count only in the first generation
// (later they restate a known state and are not stored). Stops quietly at anything malformed:
// the reader reports it.
import {
  ARG_COUNT,
  EvCPUSamples,
  EvEndOfGeneration,
  EvEventBatch,
  EvExperimentalBatch,
  EvFrequency,
  EvGoBlock,
  EvGoCreate,
  EvGoCreateBlocked,
  EvGoCreateSyscall,
  EvGoDestroy,
  EvGoDestroySyscall,
  EvGoStart,
  EvGoStatus,
  EvGoStatusStack,
  EvGoStop,
  EvGoSwitch,
  EvGoSwitchDestroy,
  EvGoSyscallBegin,
  EvGoSyscallEnd,
  EvGoSyscallEndBlocked,
  EvGoUnblock,
  EvStacks,
  EvStrings,
  EvSync,
  NUM_SPECS,
} from './spec';

/** Transitions per event type (status events handled apart). */
const WEIGHT = new Uint8Array(256);
for (const t of [
  EvGoCreate,
  EvGoCreateBlocked,
  EvGoCreateSyscall,
  EvGoStart,
  EvGoDestroy,
  EvGoDestroySyscall,
  EvGoStop,
  EvGoBlock,
  EvGoUnblock,
  EvGoSyscallBegin,
  EvGoSyscallEnd,
  EvGoSyscallEndBlocked,
]) {
  WEIGHT[t] = 1;
}
WEIGHT[EvGoSwitch] = 3;
WEIGHT[EvGoSwitchDestroy] = 3;

/** 1 + arguments of each timed event (its varints), 0 for anything else. */
const VARINTS = new Uint8Array(256);
for (let t = 0; t < NUM_SPECS; t++) if (ARG_COUNT[t] >= 0) VARINTS[t] = ARG_COUNT[t] + 1;
/** Status events add a transition only in the first generation. */
const WEIGHT_FIRST = WEIGHT.slice();
WEIGHT_FIRST[EvGoStatus] = 1;
WEIGHT_FIRST[EvGoStatusStack] = 1;

/** Transitions in one batch's data buf[start, end) (0 for table and sync batches). */
export function countBatchTransitions(
  buf: Uint8Array,
  start: number,
  end: number,
  firstGeneration: boolean,
): number {
  const first = buf[start];
  if (
    first === EvStrings ||
    first === EvStacks ||
    first === EvCPUSamples ||
    first === EvFrequency ||
    first === EvSync
  ) {
    return 0;
  }
  const weight = firstGeneration ? WEIGHT_FIRST : WEIGHT;
  let n = 0;
  let p = start;
  while (p < end) {
    const t = buf[p++];
    let k = VARINTS[t];
    if (k === 0) break;
    n += weight[t];
    // Skip k varints: each ends at a byte below 0x80.
    while (k > 0 && p < end) if (buf[p++] < 0x80) k--;
  }
  return n;
}

function readVarint(buf: Uint8Array, p: number): [number, number] {
  let x = 0;
  let mul = 1;
  for (let i = 0; i < 10 && p < buf.length; i++) {
    const b = buf[p++];
    x += (b & 0x7f) * mul;
    if (b < 0x80) return [x, p];
    mul *= 128;
  }
  return [-1, p];
}

/**
 * Estimated goroutine transitions of a whole trace file, from a sample of its event batches
 * (about 256 spread over the file) scaled by bytes, with a 15% margin. Walking every batch
 * header is cheap; counting every event would cost a tenth of the parse.
 */
export function estimateTransitions(bytes: Uint8Array): number {
  // Event batches as [start, end, first generation?].
  const batches: number[] = [];
  let p = 16;
  let firstGen = -1;
  let total = 0;
  while (p < bytes.length) {
    const kind = bytes[p];
    if (kind === EvEndOfGeneration) {
      p++;
      continue;
    }
    if (kind !== EvEventBatch && kind !== EvExperimentalBatch) break;
    p += kind === EvExperimentalBatch ? 2 : 1;
    const h: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [v, q] = readVarint(bytes, p);
      if (v < 0) break;
      h.push(v);
      p = q;
    }
    if (h.length < 4) break;
    const [gen, , , size] = h as [number, number, number, number];
    if (firstGen < 0) firstGen = gen;
    const end = Math.min(bytes.length, p + size);
    if (kind === EvEventBatch) {
      batches.push(p, end, gen === firstGen ? 1 : 0);
      total += end - p;
    }
    p = end;
  }
  const n = batches.length / 3;
  const step = Math.max(1, Math.floor(n / 256));
  let sampledBytes = 0;
  let counted = 0;
  for (let i = 0; i < n; i += step) {
    const s = batches[i * 3];
    const e = batches[i * 3 + 1];
    sampledBytes += e - s;
    counted += countBatchTransitions(bytes, s, e, batches[i * 3 + 2] === 1);
  }
  if (sampledBytes === 0) return 0;
  return Math.ceil(((counted * total) / sampledBytes) * 1.15) + 65536;
}

/** Upper bound on the goroutine transitions of a whole trace file (counts every event batch). */
export function countTransitions(bytes: Uint8Array): number {
  let n = 0;
  let p = 16;
  let firstGen = -1;
  while (p < bytes.length) {
    const kind = bytes[p];
    if (kind === EvEndOfGeneration) {
      p++;
      continue;
    }
    if (kind !== EvEventBatch && kind !== EvExperimentalBatch) break;
    p += kind === EvExperimentalBatch ? 2 : 1;
    const h: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [v, q] = readVarint(bytes, p);
      if (v < 0) return n;
      h.push(v);
      p = q;
    }
    const [gen, , , size] = h as [number, number, number, number];
    if (firstGen < 0) firstGen = gen;
    const end = Math.min(bytes.length, p + size);
    if (kind === EvEventBatch) n += countBatchTransitions(bytes, p, end, gen === firstGen);
    p = end;
  }
  return n;
}

/**
 * Why a trace file is cut short, from its batch framing alone (no event is decoded): a batch
 * header or a batch that runs past the end of the file. Null when every batch fits (a cut
 * exactly at a batch boundary is not seen here; the reader reports what it cannot finish).
 * Stops quietly at anything that is not a batch: that is damage the reader names.
 */
export function traceCutShort(bytes: Uint8Array): string | null {
  let p = 16;
  if (bytes.length <= p)
    return `cut short at byte ${bytes.length}: no event batch after the header`;
  while (p < bytes.length) {
    const kind = bytes[p];
    if (kind === EvEndOfGeneration) {
      p++;
      continue;
    }
    if (kind !== EvEventBatch && kind !== EvExperimentalBatch) return null;
    const start = p;
    p += kind === EvExperimentalBatch ? 2 : 1;
    let size = 0;
    for (let i = 0; i < 4; i++) {
      const [v, q] = readVarint(bytes, p);
      if (v < 0) {
        return q >= bytes.length
          ? `cut short at byte ${bytes.length}: the header of the batch at byte ${start} runs past the end`
          : null;
      }
      size = v;
      p = q;
    }
    if (p + size > bytes.length)
      return `cut short at byte ${bytes.length}: the batch at byte ${start} declares ${size} bytes, only ${bytes.length - p} remain`;
    p += size;
  }
  return null;
}
