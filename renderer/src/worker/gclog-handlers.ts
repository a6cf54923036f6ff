// The profile Worker's handlers for GC logs (gclog-protocol.ts): one log per Worker, read
// by core/gctrace; errors leave as SessionError values with the reader's kind.
import {
  GcTraceError,
  gcRateSeries,
  readGcTrace,
  summarizeGcTrace,
  type GcStream,
  type GcTrace,
} from '../../../core/gctrace';
import type { GcLogOps, GcSortKey, GcStreamData } from './gclog-protocol';
import { SessionError } from './session';

type GcLogHandler<K extends keyof GcLogOps> = (
  arg: GcLogOps[K][0],
  id: number,
) => [GcLogOps[K][1], Transferable[]];

export type GcLogHandlers = { [K in keyof GcLogOps]: GcLogHandler<K> };

function pauses(s: GcStream): Float64Array {
  const c = s.cycles;
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c.sweepTermMs[i]! + c.markTermMs[i]!;
  return out;
}

function sortColumn(s: GcStream, key: GcSortKey): Float64Array {
  const c = s.cycles;
  switch (key) {
    case 'num':
      return c.num;
    case 'pause':
      return pauses(s);
    case 'mark':
      return c.markMs;
    case 'heapEnd':
      return c.heapEndMB;
    case 'heapLive':
      return c.heapLiveMB;
    case 'goal':
      return c.heapGoalMB;
    case 'cpuPct':
      return c.cpuPct;
  }
}

export function gcLogHandlers(): GcLogHandlers {
  let trace: GcTrace | null = null;

  function stream(i: number): GcStream {
    if (!trace) throw new SessionError('state', 'no GC log has been loaded');
    const s = trace.streams[i];
    if (!s) throw new SessionError('state', `the GC log has no stream ${i}`);
    return s;
  }

  return {
    'gclog.load'(arg) {
      try {
        trace = readGcTrace(new Uint8Array(arg.bytes));
      } catch (e) {
        if (e instanceof GcTraceError) throw new SessionError(`gclog:${e.kind}`, e.message);
        throw e;
      }
      const t = trace;
      return [
        {
          streams: t.streams.map((s, index) => ({
            index,
            label: s.label,
            service: s.service,
            run: s.run,
            cycles: s.cycles.length,
            scavLines: s.scav.length,
            summary: summarizeGcTrace(s),
          })),
          lines: t.lines,
          otherLines: t.otherLines,
          duplicates: t.duplicates,
          overlong: t.overlong,
          unreadable: { count: t.unreadable.count, example: t.unreadable.example },
        },
        [],
      ];
    },
    'gclog.stream'(arg) {
      const s = stream(arg.stream);
      const c = s.cycles;
      const rate = gcRateSeries(c);
      const d: GcStreamData = {
        index: arg.stream,
        num: c.num.slice(),
        atS: c.atS.slice(),
        cpuPct: c.cpuPct.slice(),
        sweepTermMs: c.sweepTermMs.slice(),
        markMs: c.markMs.slice(),
        markTermMs: c.markTermMs.slice(),
        pauseMs: pauses(s),
        cpuAssistMs: c.cpuAssistMs.slice(),
        cpuBackgroundMs: c.cpuBackgroundMs.slice(),
        cpuIdleMs: c.cpuIdleMs.slice(),
        heapStartMB: c.heapStartMB.slice(),
        heapEndMB: c.heapEndMB.slice(),
        heapLiveMB: c.heapLiveMB.slice(),
        heapGoalMB: c.heapGoalMB.slice(),
        procs: c.procs.slice(),
        flags: c.flags.slice(),
        line: c.line.slice(),
        rate,
      };
      const transfer = [
        d.num,
        d.atS,
        d.cpuPct,
        d.sweepTermMs,
        d.markMs,
        d.markTermMs,
        d.pauseMs,
        d.cpuAssistMs,
        d.cpuBackgroundMs,
        d.cpuIdleMs,
        d.heapStartMB,
        d.heapEndMB,
        d.heapLiveMB,
        d.heapGoalMB,
        d.procs,
        d.flags,
        d.line,
        rate.startS,
        rate.perSecond,
      ].map((a) => a.buffer);
      return [d, transfer];
    },
    'gclog.order'(arg) {
      const s = stream(arg.stream);
      const col = sortColumn(s, arg.key);
      const order = new Int32Array(col.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      const sign = arg.desc ? -1 : 1;
      // Ties keep log order, so a sort is stable and repeatable.
      order.sort((a, b) => sign * (col[a]! - col[b]!) || a - b);
      return [order, [order.buffer]];
    },
  };
}
