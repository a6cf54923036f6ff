// The Worker's handlers for the Contention and Goroutines tabs (analysis-protocol.ts). The
// Worker entry spreads them into its handler table; errors leave as SessionError values.
import { goroutineDumpFromProfile, readGoroutines } from '../../../core/goroutines';
import { GoroutineDumpError } from '../../../core/goroutines/errors';
import type { Profile } from '../../../core/pprof/model';
import { contentionAnswer, jointAnswer } from './analysis-contention';
import { GoroutineAnalysis, GoroutineQueryError } from './analysis-goroutines';
import type { AnalysisOps } from './analysis-protocol';
import { SessionError, type ProfileSession } from './session';

type AnalysisHandler<K extends keyof AnalysisOps> = (
  arg: AnalysisOps[K][0],
  id: number,
) => [AnalysisOps[K][1], Transferable[]];

export type AnalysisHandlers = { [K in keyof AnalysisOps]: AnalysisHandler<K> };

/** Typed goroutine errors become SessionErrors, which the Worker entry reports as values. */
function asValue<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GoroutineDumpError) throw new SessionError(`goroutines:${e.kind}`, e.message);
    if (e instanceof GoroutineQueryError) throw new SessionError(e.kind, e.message);
    throw e;
  }
}

export function analysisHandlers(need: () => ProfileSession): AnalysisHandlers {
  let goroutines: GoroutineAnalysis | null = null;
  let goroutinesOf: Profile | null = null;

  function loaded(): GoroutineAnalysis {
    if (!goroutines) throw new SessionError('state', 'no goroutine dump has been loaded');
    return goroutines;
  }

  return {
    'contention.table'(arg) {
      return [contentionAnswer(need().profile, arg), []];
    },
    'contention.joint'(arg) {
      return [jointAnswer(need().profile, arg), []];
    },
    'goroutines.load'(arg) {
      return asValue(() => {
        if (arg.bytes) {
          goroutines = new GoroutineAnalysis(readGoroutines(new Uint8Array(arg.bytes)));
          goroutinesOf = null;
        } else {
          const p = need().profile;
          if (!goroutines || goroutinesOf !== p) {
            goroutines = new GoroutineAnalysis(goroutineDumpFromProfile(p));
            goroutinesOf = p;
          }
        }
        return [goroutines.overview(), []];
      });
    },
    'goroutines.rows'(arg) {
      return asValue(() => [loaded().rows(arg), []]);
    },
    'goroutines.group'(arg) {
      return asValue(() => [loaded().group(arg.by, arg.id), []]);
    },
  };
}
