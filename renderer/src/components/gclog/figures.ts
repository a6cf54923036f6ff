// The figures of one GC log stream as the GC tab and Compare print them (the guide's: GCs per
// second, pause total and max, heap growth per minute), formatted once here.
import { isGcStorm } from '../../charts/sparkline-series';
import type { GcSummary } from '../../worker/gclog-protocol';

export interface GcFigure {
  id:
    | 'gcPerSecond'
    | 'peakGcPerSecond'
    | 'pauseTotal'
    | 'pauseMax'
    | 'pauseMean'
    | 'heapGrowth'
    | 'heapGoal'
    | 'heapGoalMax'
    | 'liveHeap'
    | 'gcCpu'
    | 'cycles'
    | 'span';
  label: string;
  value: string;
  /** The number behind the text, for comparisons; null when there is none. */
  raw: number | null;
  help: string;
}

/** A number with up to `d` decimals, thousands separated. */
export function fmtNum(v: number, d = 3): string {
  return v.toLocaleString('en-US', { maximumFractionDigits: d });
}

/** Milliseconds as gctrace prints them (ms), 3 significant decimals at most. */
export function fmtMs(v: number): string {
  return `${fmtNum(v, v < 10 ? 3 : 1)} ms`;
}

export function fmtRate(v: number | null): string {
  return v === null ? '–' : `${fmtNum(v, v < 10 ? 2 : 1)}/s`;
}

export function fmtSeconds(s: number): string {
  if (s < 120) return `${fmtNum(s, s < 10 ? 3 : 1)} s`;
  if (s < 7200) return `${fmtNum(s / 60, 1)} min`;
  return `${fmtNum(s / 3600, 1)} h`;
}

export function gcFigures(s: GcSummary): GcFigure[] {
  const growth = s.heapGrowthMBPerMin;
  return [
    {
      id: 'gcPerSecond',
      label: 'GCs per second',
      value: fmtRate(s.gcPerSecond),
      raw: s.gcPerSecond,
      help: '(cycles − 1) ÷ time from the first cycle to the last; – for a log under 1 s',
    },
    {
      id: 'peakGcPerSecond',
      label: 'Peak in 1 s',
      value: `${s.peakGcPerSecond} GC${s.peakGcPerSecond === 1 ? '' : 's'}`,
      raw: s.peakGcPerSecond,
      help: 'Most cycles that started within any one second',
    },
    {
      id: 'pauseTotal',
      label: 'Pause total',
      value: fmtMs(s.pauseTotalMs),
      raw: s.pauseTotalMs,
      help: 'Sum of the STW pauses: sweep termination + mark termination wall clock of every cycle',
    },
    {
      id: 'pauseMax',
      label: 'Pause max',
      value: s.cycles ? `${fmtMs(s.pauseMaxMs)} (gc ${s.pauseMaxNum})` : '–',
      raw: s.cycles ? s.pauseMaxMs : null,
      help: 'The longest STW pause of one cycle, and its GC number',
    },
    {
      id: 'pauseMean',
      label: 'Pause mean',
      value: fmtMs(s.pauseMeanMs),
      raw: s.pauseMeanMs,
      help: 'Pause total ÷ cycles',
    },
    {
      id: 'heapGrowth',
      label: 'Heap growth',
      value: growth === null ? '–' : `${growth >= 0 ? '+' : ''}${fmtNum(growth, 1)} MB/min`,
      raw: growth,
      help: 'Trend of the live heap after each GC (least-squares slope), per minute; – for a log under 5 s',
    },
    {
      id: 'heapGoal',
      label: 'Heap goal',
      value: `${fmtNum(s.heapGoalLastMB)} MB`,
      raw: s.heapGoalLastMB,
      help: 'The goal printed by the last cycle ("# MB goal")',
    },
    {
      id: 'heapGoalMax',
      label: 'Goal max',
      value: `${fmtNum(s.heapGoalMaxMB)} MB`,
      raw: s.heapGoalMaxMB,
      help: 'The largest heap goal of any cycle',
    },
    {
      id: 'liveHeap',
      label: 'Live heap',
      value: `${fmtNum(s.heapLiveFirstMB)} → ${fmtNum(s.heapLiveLastMB)} MB`,
      raw: s.heapLiveLastMB,
      help: 'Live (marked) heap after the first and the last cycle',
    },
    {
      id: 'gcCpu',
      label: 'GC CPU',
      value: `${s.gcCpuPct}%`,
      raw: s.gcCpuPct,
      help: "The runtime's share of CPU spent in GC since the program started, at the last cycle",
    },
    {
      id: 'cycles',
      label: 'Cycles',
      value:
        `${fmtNum(s.cycles, 0)}` +
        (s.forced ? ` (${s.forced} forced)` : '') +
        (s.periodic ? ` (${s.periodic} periodic)` : ''),
      raw: s.cycles,
      help: 'gctrace lines read; forced: runtime.GC(); periodic: after 2 minutes without a GC',
    },
    {
      id: 'span',
      label: 'Span',
      value: fmtSeconds(s.spanS),
      raw: s.spanS,
      help: `Time from the first cycle (@${fmtNum(s.firstAtS)} s after the program started) to the last (@${fmtNum(s.lastAtS)} s)`,
    },
  ];
}

/** Whether a stream's GC rate is above the storm threshold. */
export function isStorm(s: GcSummary, perSecond: number): boolean {
  return isGcStorm(s.gcPerSecond, perSecond);
}
