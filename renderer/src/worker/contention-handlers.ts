// The Contention tab's handlers (analysis-protocol.ts), over the profile the Worker has open.
import type { Profile } from '../../../core/pprof/model';
import { contentionAnswer, jointAnswer } from './analysis-contention';
import type { AnalysisOps } from './analysis-protocol';
import type { HandlerTable } from './rpc-server';

export type ContentionOps = Pick<AnalysisOps, 'contention.table' | 'contention.joint'>;

/** `profile` gives the Worker's open profile (throws a WorkerError when there is none). */
export function contentionHandlers(profile: () => Profile): HandlerTable<ContentionOps> {
  return {
    'contention.table'(arg) {
      return contentionAnswer(profile(), arg);
    },
    'contention.joint'(arg) {
      return jointAnswer(profile(), arg);
    },
  };
}
