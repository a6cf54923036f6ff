// What the compare Worker's parts share: decoding a side (a broken file names its side),
// pprof's report options from the view's parameters, and Go regular expressions.
import { decodeProfile } from '../../../core/pprof/decode';
import { isProfileError } from '../../../core/pprof/errors';
import type { Profile } from '../../../core/pprof/model';
import { compileGoRegex } from '../../../core/pprof/regex';
import type { ReportOptions } from '../../../core/pprof/report';
import type { Filters, Granularity } from './protocol';
import { WorkerError } from './rpc';

export function reportOptions(
  sampleIndex: number,
  params: { granularity: Granularity; filters: Filters },
): ReportOptions {
  const f = params.filters;
  return {
    sampleIndex,
    granularity: params.granularity,
    focus: f.focus || undefined,
    ignore: f.ignore || undefined,
    hide: f.hide || undefined,
    show: f.show || undefined,
  };
}

/** Decodes one side; a broken file names the side it came from. */
export function decodeSide(bytes: ArrayBuffer, side: string, name: string): Profile {
  try {
    return decodeProfile(new Uint8Array(bytes));
  } catch (e) {
    if (isProfileError(e))
      throw new WorkerError(`decode:${e.kind}`, `${side} (${name}): ${e.message}`);
    throw e;
  }
}

/** Go RE2 syntax, as pprof; a bad pattern is the user's to fix (kind bad-regex). */
export function regex(pattern: string): RegExp {
  try {
    return compileGoRegex(pattern);
  } catch (e) {
    throw new WorkerError('bad-regex', e instanceof Error ? e.message : String(e));
  }
}
