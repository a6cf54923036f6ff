// Go 1.27 tracebacks: with GODEBUG tracebacklabels=1 (the default for modules saying go 1.27)
// a goroutine's labels follow its state, bare when they need no quoting; the leak detector's
// "(leaked)" mark is a GC-proven leak, counted apart from the heuristic suspects. The first
// records are real output of test/targets/orders built with Go 1.27.3.
import { describe, expect, it } from 'vitest';
import { recordLabels, REC_LEAKED } from '../../../core/goroutines/dump';
import { groupGoroutines } from '../../../core/goroutines/groups';
import { provenLeaked } from '../../../core/goroutines/leaks';
import { parseGoroutineDump } from '../../../core/goroutines/parse';

const DUMP = [
  'goroutine 9 [chan receive (leaked)] {component: outbox}:',
  'main.(*notifier).awaitAck(0x0?, {0x0?, {0x0?, 0x0?}}, 0x16b6cffa28c0, 0x0?, 0x0?)',
  '\tpprofstudio/targets/orders/notifier.go:80 +0x67',
  'created by main.(*notifier).replayOutbox.func1 in goroutine 1',
  '\tpprofstudio/targets/orders/notifier.go:48 +0x13c',
  '',
  'goroutine 10 [chan receive (leaked), 12 minutes] {component: outbox}:',
  'main.(*notifier).awaitAck(0xbceea0?, {0xb55f18?, {0x16b6cdc84018?, 0x0?}}, 0x16b6cffa2930, 0x0?, 0x16b6cef98dd0?)',
  '\tpprofstudio/targets/orders/notifier.go:80 +0x67',
  'created by main.(*notifier).replayOutbox.func1 in goroutine 1',
  '\tpprofstudio/targets/orders/notifier.go:48 +0x13c',
  '',
  // Quoted where a key or value has other characters; an empty value prints as nothing.
  'goroutine 21 [select] {"http.route": "/orders/{id}", pool: orders, note: "a] {b}: \\"c\\"", empty: }:',
  'main.(*service).worker(0x16b6cdc84018)',
  '\tpprofstudio/targets/orders/service.go:101 +0x99',
  'created by main.startService in goroutine 1',
  '\tpprofstudio/targets/orders/service.go:74 +0x1a5',
  '',
  'goroutine 22 [chan receive]:',
  'main.(*auditLog).drain(0x16b6cdc84018)',
  '\tpprofstudio/targets/orders/audit.go:40 +0x50',
  'created by main.startService in goroutine 1',
  '\tpprofstudio/targets/orders/service.go:63 +0x1a5',
  '',
].join('\n');

describe('Go 1.27 goroutine tracebacks', () => {
  const dump = parseGoroutineDump(DUMP);

  it('reads labels after the state, bare or quoted', () => {
    expect(dump.warnings).toEqual([]);
    expect(dump.records.length).toBe(4);
    expect(recordLabels(dump, 0)).toEqual([['component', 'outbox']]);
    expect(recordLabels(dump, 1)).toEqual([['component', 'outbox']]);
    expect(recordLabels(dump, 2)).toEqual([
      ['http.route', '/orders/{id}'],
      ['pool', 'orders'],
      ['note', 'a] {b}: "c"'],
      ['empty', ''],
    ]);
    expect(recordLabels(dump, 3)).toEqual([]);
    expect(dump.strings[dump.records.state[2]]).toBe('select');
    expect(dump.records.waitMinutes[1]).toBe(12);
  });

  it('marks "(leaked)" goroutines as GC-proven leaks, apart from the state', () => {
    const leaked = [0, 1, 2, 3].map((i) => (dump.records.flags[i] & REC_LEAKED) !== 0);
    expect(leaked).toEqual([true, true, false, false]);
    expect(dump.strings[dump.records.state[0]]).toBe('chan receive');
    const groups = groupGoroutines(dump);
    const byTitle = Object.fromEntries(
      groups.groups.map((g) => [g.title, provenLeaked(groups, g)]),
    );
    expect(byTitle).toEqual({
      'main.(*notifier).awaitAck': 2,
      'main.(*service).worker': 0,
      'main.(*auditLog).drain': 0,
    });
  });

  it('warns on an unreadable label set instead of failing', () => {
    const d = parseGoroutineDump(
      'goroutine 5 [select] {k: "unterminated}:\nmain.f()\n\t/a.go:1 +0x1\n',
    );
    expect(d.records.length).toBe(1);
    expect(d.warnings.some((w) => w.startsWith('unreadable goroutine labels'))).toBe(true);
  });
});
