// The Goroutines tab's handlers (analysis-protocol.ts): one goroutine dump per Worker, read
// from a text dump or a goroutine profile. Served by the profile Worker (for the profile it has
// open) and by the goroutines Worker (text dumps, no profile).
import { goroutineDumpFromProfile, readGoroutines } from '../../../core/goroutines';
import type { Profile } from '../../../core/pprof/model';
import { GoroutineAnalysis } from './analysis-goroutines';
import type { AnalysisOps } from './analysis-protocol';
import { WorkerError } from './rpc';
import type { HandlerTable } from './rpc-server';

export type GoroutineOps = Pick<
  AnalysisOps,
  'goroutines.load' | 'goroutines.rows' | 'goroutines.group'
>;

/** `profile` gives the Worker's open profile (throws a WorkerError when there is none). */
export function goroutineHandlers(profile: () => Profile): HandlerTable<GoroutineOps> {
  let goroutines: GoroutineAnalysis | null = null;
  let goroutinesOf: Profile | null = null;

  function loaded(): GoroutineAnalysis {
    if (!goroutines) throw new WorkerError('state', 'no goroutine dump has been loaded');
    return goroutines;
  }

  return {
    'goroutines.load'(arg) {
      if (arg.bytes) {
        goroutines = new GoroutineAnalysis(readGoroutines(new Uint8Array(arg.bytes)));
        goroutinesOf = null;
      } else {
        const p = profile();
        if (!goroutines || goroutinesOf !== p) {
          goroutines = new GoroutineAnalysis(goroutineDumpFromProfile(p));
          goroutinesOf = p;
        }
      }
      return goroutines.overview();
    },
    'goroutines.rows'(arg) {
      return loaded().rows(arg);
    },
    'goroutines.group'(arg) {
      return loaded().group(arg.by, arg.id);
    },
  };
}
