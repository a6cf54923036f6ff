// The Goroutines tab's Worker side: one goroutine dump (from the open goroutine profile or a
// text dump), grouped by stack or stack + labels, with leak suspects, search, a sorted and
// windowed list of groups and the full stack of one group as text.
import {
  compileSearch,
  findLeakSuspects,
  provenLeaked,
  groupGoroutines,
  searchGroups,
  type GoroutineGroup,
  type GoroutineGroups,
  type LeakSuspect,
} from '../../../core/goroutines';
import {
  FRAME_CODE,
  FRAME_ELIDED,
  goroutineCount,
  type GoroutineDump,
} from '../../../core/goroutines/dump';
import { WorkerError } from './rpc';
import type {
  GoroutineOverview,
  GoroutineQuery,
  GoroutineRow,
  GoroutineWindow,
  GroupBy,
  GroupDetail,
  LeakSummary,
} from './analysis-protocol';

interface Grouping {
  groups: GoroutineGroups;
  suspects: Map<number, LeakSuspect>;
  leakList: LeakSuspect[];
  orders: Map<string, Int32Array>;
  texts: Map<number, string>;
}

const MAX_IDS = 200;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export class GoroutineAnalysis {
  private readonly groupings = new Map<GroupBy, Grouping>();

  constructor(readonly dump: GoroutineDump) {}

  overview(): GoroutineOverview {
    const d = this.dump;
    const r = d.records;
    let creators = false;
    for (let i = 0; i < r.length && !creators; i++) creators = r.createdBy[i] >= 0;
    return {
      format: d.format,
      total: goroutineCount(d),
      declaredTotal: d.declaredTotal,
      truncation: d.truncation ? { ...d.truncation } : null,
      warnings: [...d.warnings],
      hasLabels: r.labelStart[r.length] > 0,
      hasWaits: d.format === 'debug2',
      hasCreators: creators,
    };
  }

  private grouping(by: GroupBy): Grouping {
    let g = this.groupings.get(by);
    if (!g) {
      const groups = groupGoroutines(this.dump, { by });
      const leakList = findLeakSuspects(groups);
      g = {
        groups,
        suspects: new Map(leakList.map((s) => [s.group, s])),
        leakList,
        orders: new Map(),
        texts: new Map(),
      };
      this.groupings.set(by, g);
    }
    return g;
  }

  private order(g: Grouping, q: GoroutineQuery): Int32Array {
    const key = JSON.stringify([q.search, q.scope, q.leaksOnly, q.sort]);
    const cached = g.orders.get(key);
    if (cached) return cached;
    let ids = g.groups.groups.map((x) => x.id);
    if (q.search !== '') {
      const re = compileSearch(q.search);
      if (!(re instanceof RegExp)) throw new WorkerError('bad-regex', re.error);
      const hits = new Set(searchGroups(g.groups, re, q.scope));
      ids = ids.filter((id) => hits.has(id));
    }
    if (q.leaksOnly) ids = ids.filter((id) => g.suspects.has(id));
    const list = g.groups.groups;
    // Groups come largest first; the other orders keep that as the tie-break.
    if (q.sort === 'wait') {
      const w = (id: number): number => list[id].wait?.maxMinutes ?? -1;
      ids.sort((a, b) => w(b) - w(a) || a - b);
    } else if (q.sort === 'name') {
      ids.sort((a, b) =>
        list[a].title < list[b].title ? -1 : list[a].title > list[b].title ? 1 : a - b,
      );
    }
    const order = Int32Array.from(ids);
    if (g.orders.size > 16) g.orders.clear();
    g.orders.set(key, order);
    return order;
  }

  rows(q: GoroutineQuery): GoroutineWindow {
    const g = this.grouping(q.by);
    const order = this.order(g, q);
    const list = g.groups.groups;
    const from = Math.max(0, Math.min(q.offset, order.length));
    const to = Math.min(order.length, from + Math.max(0, q.limit));
    const rows: GoroutineRow[] = [];
    for (let i = from; i < to; i++) rows.push(this.row(g, list[order[i]], i));
    const position = new Map<number, number>();
    const want = new Set(q.expanded);
    if (want.size) order.forEach((id, i) => want.has(id) && position.set(id, i));
    let matched = 0;
    for (const id of order) matched += list[id].count;
    const leaks: LeakSummary[] = g.leakList.map((s) => ({
      id: s.group,
      count: s.count,
      reason: s.reason,
      index: order.indexOf(s.group),
    }));
    return {
      rowCount: order.length,
      matched,
      groupCount: list.length,
      total: g.groups.total,
      offset: from,
      rows,
      leaks,
      leakGoroutines: g.leakList.reduce((a, s) => a + s.count, 0),
      expandedAt: q.expanded
        .filter((id) => id >= 0 && id < list.length)
        .map((id) => ({
          id,
          index: position.get(id) ?? -1,
          lines: this.lineCount(g, list[id]),
        })),
    };
  }

  private row(g: Grouping, x: GoroutineGroup, index: number): GoroutineRow {
    const d = this.dump;
    const f = d.frames;
    const at = x.titleFrame >= 0 ? x.titleFrame : -1;
    const file = at >= 0 ? d.strings[f.file[at]] : '';
    const leak = g.suspects.get(x.id);
    return {
      index,
      id: x.id,
      count: x.count,
      title: x.title,
      titleAt: file ? `${file}:${f.line[at]}` : '',
      states: x.states.map((s) => ({ ...s })),
      stateInferred: x.stateInferred,
      maxWait: x.wait ? x.wait.maxMinutes : null,
      medianWait: x.wait ? x.wait.medianMinutes : null,
      lockedToThread: x.lockedToThread,
      framesElided: x.framesElided,
      creators: x.creators.slice(0, 3).map((c) => d.strings[f.func[c.frame]]),
      labelSets: x.labelSets.slice(0, 3).map((ls) => ls.labels.map(([k, v]) => `${k}=${v}`)),
      leak: leak ? { reason: leak.reason, count: leak.count } : null,
      provenLeaked: provenLeaked(g.groups, x),
      stackLines: this.lineCount(g, x),
    };
  }

  private lineCount(g: Grouping, x: GoroutineGroup): number {
    return this.stackText(g, x).split('\n').length;
  }

  /** Go's traceback layout: `func` then a tab and `file:line`; created-by and labels after. */
  private stackText(g: Grouping, x: GoroutineGroup): string {
    const cached = g.texts.get(x.id);
    if (cached !== undefined) return cached;
    const d = this.dump;
    const f = d.frames;
    const out: string[] = [];
    const states = x.states.map((s) => `${s.state || 'unknown state'} ×${s.count}`).join(', ');
    out.push(
      `${plural(x.count, 'goroutine')} · ${states}${x.stateInferred ? ' (state read from the stack)' : ''}`,
    );
    for (const ls of x.labelSets.slice(0, 5)) {
      out.push(`labels: ${ls.labels.map(([k, v]) => `${k}=${v}`).join(', ')} ×${ls.count}`);
    }
    if (x.labelSets.length > 5) out.push(`labels: ${x.labelSets.length - 5} more sets`);
    if (x.frames.length === 0) out.push('(no stack was printed)');
    for (const fr of x.frames) {
      const name = d.strings[f.func[fr]];
      if (f.kind[fr] === FRAME_ELIDED) {
        out.push(name);
        continue;
      }
      out.push(`${name}${f.inlined[fr] ? ' (inlined)' : ''}`);
      const file = d.strings[f.file[fr]];
      if (f.kind[fr] === FRAME_CODE && file) out.push(`\t${file}:${f.line[fr]}`);
    }
    for (const c of x.creators.slice(0, 5)) {
      const file = d.strings[f.file[c.frame]];
      out.push(`created by ${d.strings[f.func[c.frame]]} ×${c.count}`);
      if (file) out.push(`\t${file}:${f.line[c.frame]}`);
    }
    if (x.creators.length > 5) out.push(`created by: ${x.creators.length - 5} more creators`);
    const text = out.join('\n');
    g.texts.set(x.id, text);
    return text;
  }

  group(by: GroupBy, id: number): GroupDetail {
    const g = this.grouping(by);
    const x = g.groups.groups[id];
    if (!x) throw new WorkerError('state', `no goroutine group ${id}`);
    const text = this.stackText(g, x);
    const all: number[] = [];
    for (const rec of x.records) {
      const gid = this.dump.records.id[rec];
      if (gid >= 0) all.push(gid);
    }
    all.sort((a, b) => a - b);
    const ids = all.slice(0, MAX_IDS);
    return { id, text, lines: text.split('\n').length, ids, moreIds: all.length - ids.length };
  }
}
