// The Contention tab's Worker side: contention by call site of the open profile (cached per
// granularity and kind), and the joint mutex + block view against a partner's table.
import { contentionBySite, jointContention } from '../../../core/pprof/contention';
import type { Profile } from '../../../core/pprof/model';
import type {
  ContentionAnswer,
  ContentionRequest,
  ContentionTable,
  JointContentionRow,
  JointRequest,
} from './analysis-protocol';

const cache = new WeakMap<Profile, Map<string, ContentionTable>>();

function tableOf(p: Profile, req: ContentionRequest): ContentionTable {
  let byKey = cache.get(p);
  if (!byKey) cache.set(p, (byKey = new Map()));
  const key = `${req.granularity}/${req.kind ?? ''}`;
  let t = byKey.get(key);
  if (!t) {
    t = contentionBySite(p, { granularity: req.granularity, kind: req.kind });
    byKey.set(key, t);
  }
  return t;
}

export function contentionAnswer(p: Profile, req: ContentionRequest): ContentionAnswer {
  return {
    table: tableOf(p, req),
    delayIndex: p.sampleTypes.findIndex((t) => t.type === 'delay'),
    contentionsIndex: p.sampleTypes.findIndex((t) => t.type === 'contentions'),
  };
}

/** Mutex (unlocking side) beside block (waiting side), whichever of the two is open here. */
export function jointAnswer(p: Profile, req: JointRequest): JointContentionRow[] {
  const own = tableOf(p, req);
  return req.kind === 'mutex'
    ? jointContention(own, req.partner)
    : jointContention(req.partner, own);
}
