// Which sample value a report shows, chosen exactly like pprof (profile.SampleIndexByName
// plus the driver's -mean_delay style shortcuts).
import type { Profile, ValueType } from './model';
import { ReportError } from './report-error';

export interface SampleChoice {
  /** Index into profile.sampleTypes. */
  index: number;
  /** Report the mean: each sum divided by the sum of value[0] (pprof's -mean). */
  mean: boolean;
  sampleType: ValueType;
  /** The type as pprof labels it ("mean_delay" under mean), for headers. */
  label: string;
}

/**
 * Resolves a sample index:
 * - undefined or '': `default_sample_type` when the profile sets it and names one of its
 *   types, else the LAST sample type;
 * - a number or a decimal string: that index (0-based), checked against the range;
 * - a type name; a leading `inuse_` is also tried without it (legacy "inuse_space" for a
 *   profile whose type is "space");
 * - `mean_NAME`, when no type is literally called so: NAME with mean (pprof's -mean_delay is
 *   -mean -sample_index=delay).
 * `mean` forces the mean for any of these.
 */
export function resolveSampleIndex(
  profile: Pick<Profile, 'sampleTypes' | 'defaultSampleType'>,
  spec?: string | number,
  mean = false,
): SampleChoice {
  const types = profile.sampleTypes;
  if (types.length === 0) throw new ReportError('empty', 'the profile has no sample types');
  const choose = (index: number, isMean: boolean): SampleChoice => {
    const sampleType = types[index];
    return {
      index,
      mean: isMean,
      sampleType,
      label: isMean ? `mean_${sampleType.type}` : sampleType.type,
    };
  };
  if (spec === undefined || spec === '') {
    const dflt = profile.defaultSampleType;
    if (dflt !== '') {
      const i = types.findIndex((t) => t.type === dflt);
      if (i >= 0) return choose(i, mean);
    }
    return choose(types.length - 1, mean);
  }
  const text = String(spec);
  if (/^[+-]?\d+$/.test(text)) {
    const i = Number(text);
    if (i < 0 || i >= types.length) {
      throw new ReportError(
        'bad-sample-index',
        `sample_index ${text} is outside the range [0..${types.length - 1}]`,
      );
    }
    return choose(i, mean);
  }
  const byName = (name: string): number => {
    const noInuse = name.startsWith('inuse_') ? name.slice('inuse_'.length) : name;
    return types.findIndex((t) => t.type === name || t.type === noInuse);
  };
  const direct = byName(text);
  if (direct >= 0) return choose(direct, mean);
  if (text.startsWith('mean_')) {
    const i = byName(text.slice('mean_'.length));
    if (i >= 0) return choose(i, true);
  }
  throw new ReportError(
    'bad-sample-index',
    `sample_index "${text}" must be one of: ${types.map((t) => t.type).join(', ')} (or an index 0..${types.length - 1})`,
  );
}

/** "cpu/nanoseconds": how the JSON outputs name a sample type. */
export function sampleTypeName(t: ValueType): string {
  return `${t.type}/${t.unit}`;
}
