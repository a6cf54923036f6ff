// The Source panel's numbers for one profile: core/pprof's listing of one function (exact
// name), with its inlined calls, under the view's sample type and filters.
import type { Profile } from '../../../core/pprof/model';
import { prepareProfile } from '../../../core/pprof/report';
import { inlinedCalls, sourceListing } from '../../../core/pprof/source-list';
import type { Filters } from './protocol';
import type { SourceView } from './source-protocol';

export function sourceViewOf(
  profile: Profile,
  sampleIndex: string | number | undefined,
  filters: Filters,
  name: string,
): SourceView {
  const prep = prepareProfile(profile, {
    sampleIndex,
    granularity: 'lines',
    focus: filters.focus || undefined,
    ignore: filters.ignore || undefined,
    hide: filters.hide || undefined,
    show: filters.show || undefined,
  });
  const listing = sourceListing(prep, (n) => n === name);
  const fn = listing.functions[0];
  return {
    name,
    sampleType: listing.sampleType,
    total: listing.total,
    files: (fn?.files ?? []).map((f) => ({ ...f, inlined: inlinedCalls(prep, name, f.file) })),
  };
}
