// What kind of profile a pprof file is, from its sample types as Go's runtime/pprof writes
// them. Used by the library (on a scan of the header fields) and by insights (on a decoded
// profile), so both agree.
import type { ValueType } from './model';

export type ProfileKind =
  'cpu' | 'heap' | 'allocs' | 'goroutine' | 'threadcreate' | 'mutex' | 'block' | 'unknown';

export interface ProfileTypes {
  sampleTypes: readonly ValueType[];
  periodType: ValueType | null;
  defaultSampleType: string;
}

/**
 * The kind from the sample types. Mutex and block profiles have identical sample types
 * (contentions/count, delay/nanoseconds): `contention` decides between them (from stacks).
 * A goroutineleak profile is a goroutine profile.
 */
export function profileKindOf(p: ProfileTypes, contention: () => 'mutex' | 'block'): ProfileKind {
  const types = new Set(p.sampleTypes.map((t) => t.type));
  if (p.periodType?.type === 'cpu' || types.has('cpu')) return 'cpu';
  if (types.has('inuse_space') || types.has('alloc_space')) {
    // Go writes the allocs profile with default_sample_type alloc_space, the heap one without.
    return p.defaultSampleType === 'alloc_space' ? 'allocs' : 'heap';
  }
  if (types.size === 1 && (types.has('goroutine') || types.has('goroutineleak')))
    return 'goroutine';
  if (types.size === 1 && types.has('threadcreate')) return 'threadcreate';
  if (types.has('contentions') && types.has('delay')) return contention();
  return 'unknown';
}
