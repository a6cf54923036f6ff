// The goroutine protobuf profile (/debug/pprof/goroutine, decoded by core/pprof) as a
// GoroutineDump: one record per sample, counted by its goroutine/count value, with the
// sample's pprof labels. The profile prints no states, so each record's state is inferred
// from its runtime frames and flagged REC_STATE_INFERRED.

import type { Profile } from '../pprof/model';
import { DumpBuilder, newRecordDraft } from './builder';
import { REC_STATE_INFERRED, type GoroutineDump } from './dump';
import { GoroutineDumpError } from './errors';
import { inferState } from './states';

/** Index of the goroutine count among a profile's sample types, or -1. */
function countIndex(profile: Profile): number {
  const i = profile.sampleTypes.findIndex(
    (t) => t.type === 'goroutine' || t.type === 'goroutineleak',
  );
  if (i >= 0) return i;
  return profile.sampleTypes.length === 1 && profile.sampleTypes[0].unit === 'count' ? 0 : -1;
}

export function goroutineDumpFromProfile(profile: Profile): GoroutineDump {
  const index = countIndex(profile);
  if (index < 0) {
    const types = profile.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ') || 'none';
    throw new GoroutineDumpError(
      'wrong-profile',
      `this profile's sample types are ${types}, not goroutine/count: open a goroutine profile`,
    );
  }
  const { strings, functions, locations, lines, stacks, samples } = profile;
  const b = new DumpBuilder();
  const nTypes = profile.sampleTypes.length;

  // Location → its frames (leaf first), built once and shared by every sample.
  const locFrames: (number[] | undefined)[] = new Array(locations.length);
  const framesOf = (loc: number): number[] => {
    let out = locFrames[loc];
    if (out) return out;
    out = [];
    const first = locations.lineStart[loc];
    const end = locations.lineStart[loc + 1];
    for (let l = first; l < end; l++) {
      const fn = lines.func[l];
      const name = fn >= 0 ? strings[functions.name[fn]] : '';
      const file = fn >= 0 ? strings[functions.filename[fn]] : '';
      // All Lines but the last were inlined into the last (the real caller).
      out.push(
        b.frame(
          name || `0x${locations.address[loc].toString(16)}`,
          file,
          lines.line[l],
          -1,
          l < end - 1,
        ),
      );
    }
    if (first === end) {
      out.push(b.frame(`0x${locations.address[loc].toString(16)}`, '', 0, -1, false, 2));
    }
    locFrames[loc] = out;
    return out;
  };

  const nameCache = new Map<number, string[]>();
  for (let i = 0; i < samples.length; i++) {
    const count = samples.values[i * nTypes + index];
    if (count === 0) continue;
    const draft = newRecordDraft(-1);
    draft.textEnd = -1;
    draft.count = count;
    for (let s = samples.stack[i]; s >= 0; s = stacks.prefix[s]) {
      for (const f of framesOf(stacks.frame[s])) draft.frames.push(f);
    }
    for (let j = samples.labelStart[i]; j < samples.labelStart[i + 1]; j++) {
      if (samples.labelStr[j] !== 0) {
        draft.labels.push([strings[samples.labelKey[j]], strings[samples.labelStr[j]]]);
      }
    }
    let names = nameCache.get(samples.stack[i]);
    if (!names) {
      names = draft.frames.slice(0, 16).map((f) => b.frameName(f));
      nameCache.set(samples.stack[i], names);
    }
    draft.state = inferState(names);
    draft.flags |= REC_STATE_INFERRED;
    b.addRecord(draft);
  }
  return b.finish({
    format: 'proto',
    profileName: profile.sampleTypes[index].type,
    declaredTotal: null,
    truncation: null,
    source: '',
  });
}
