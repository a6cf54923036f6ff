// The GC log Worker's handlers (gclog-protocol.ts): one log per Worker, read
// by core/gctrace; its errors reach the UI with the reader's kind (gclog:...).
import {
  gcRateSeries,
  readGcTrace,
  summarizeGcTrace,
  type GcStream,
  type GcTrace,
} from '../../../core/gctrace';
import type { GcLogOps, GcSortKey, GcStreamData } from './gclog-protocol';
import { WorkerError } from './rpc';
import type { HandlerTable } from './rpc-server';

function pauses(s: GcStream): Float64Array {
  const c = s.cycles;
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c.sweepTermMs[i] + c.markTermMs[i];
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

export function gcLogHandlers(): HandlerTable<GcLogOps> {
  let trace: GcTrace | null = null;

  function stream(i: number): GcStream {
    if (!trace) throw new WorkerError('state', 'no GC log has been loaded');
    const s = trace.streams[i];
    if (!s) throw new WorkerError('state', `the GC log has no stream ${i}`);
    return s;
  }

  return {
    'gclog.load'(arg) {
      const t = (trace = readGcTrace(new Uint8Array(arg.bytes)));
      return {
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
      };
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
      return d;
    },
    'gclog.order'(arg) {
      const s = stream(arg.stream);
      const col = sortColumn(s, arg.key);
      const order = new Int32Array(col.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      const sign = arg.desc ? -1 : 1;
      // Ties keep log order, so a sort is stable and repeatable.
      order.sort((a, b) => sign * (col[a] - col[b]) || a - b);
      return order;
    },
  };
}
