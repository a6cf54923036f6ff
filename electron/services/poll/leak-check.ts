// The live dashboard's leaked-goroutine count (Go 1.27, or Go 1.26 built with
// GOEXPERIMENT=goroutineleakprofile). Asking /debug/pprof/goroutineleak makes the target run a
// full GC to find the leaks, so the count is never part of the regular poll: whether the
// endpoint exists is read from the pprof index page (free: it lists every registered profile),
// and the count is fetched only on demand or at the dashboard's opt-in low rate.
// The choice is documented in the README ("Leaked goroutines").
import type { LeakCheck } from '../../../core/contract/bundles';
import { asLiveError } from '../targets/errors';
import { httpGet } from '../targets/http-client';
import { endpointUrl, type TargetConnection } from '../targets/connection';

/** The first line of goroutineleak?debug=1, "goroutineleak profile: total N". */
export function parseLeakTotal(text: string): number | null {
  const m = /^goroutineleak profile: total (\d+)\s*$/.exec(text.slice(0, 256).split('\n')[0] ?? '');
  return m ? Number(m[1]) : null;
}

/** Whether the index page lists goroutineleak; null when there is no index to read. */
export function indexListsLeakProfile(html: string): boolean | null {
  if (!/href=['"]?[a-z]+\?debug=1/.test(html)) return null;
  return /href=['"]?goroutineleak\?debug=1/.test(html);
}

export const NOT_SERVED =
  'goroutineleak is not served by this Go version: Go 1.27 serves it, Go 1.26 only when built with GOEXPERIMENT=goroutineleakprofile';

export async function checkGoroutineLeaks(
  targetId: string,
  c: TargetConnection,
  count: boolean,
  now: () => Date = () => new Date(),
): Promise<LeakCheck> {
  const timeoutMs = c.timeoutSeconds !== null ? Math.min(c.timeoutSeconds * 1000, 60_000) : 30_000;
  const at = () => now().toISOString();
  try {
    if (!count) {
      const res = await httpGet(endpointUrl(c, ''), c.conn, { timeoutMs, maxBytes: 1 << 20 });
      const served = res.status === 200 ? indexListsLeakProfile(res.body.toString('utf8')) : null;
      return {
        targetId,
        at: at(),
        served,
        leaked: null,
        message: served === false ? NOT_SERVED : null,
      };
    }
    const res = await httpGet(endpointUrl(c, 'goroutineleak', { debug: 1 }), c.conn, {
      timeoutMs,
      maxBytes: 1 << 20,
      firstLineOnly: true,
    });
    if (res.status === 404)
      return { targetId, at: at(), served: false, leaked: null, message: NOT_SERVED };
    const leaked = res.status === 200 ? parseLeakTotal(res.body.toString('utf8')) : null;
    return {
      targetId,
      at: at(),
      served: leaked !== null ? true : null,
      leaked,
      message:
        leaked === null
          ? `goroutineleak?debug=1 answered HTTP ${res.status} without a total`
          : null,
    };
  } catch (err) {
    return { targetId, at: at(), served: null, leaked: null, message: asLiveError(err).message };
  }
}
