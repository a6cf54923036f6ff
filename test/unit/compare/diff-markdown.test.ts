import { describe, expect, it } from 'vitest';
import type { DiffTable } from '../../../core/pprof/diff';
import { diffMarkdown, mdCode, mdText } from '../../../core/pprof/diff-markdown';

const table = (over: Partial<DiffTable> = {}): DiffTable => ({
  sampleType: { type: 'cpu', unit: 'nanoseconds' },
  typeLabel: 'cpu',
  mode: 'diff_base',
  baseTotal: 1_000_000_000,
  newTotal: 300_000_000,
  pprofTotal: 1_000_000_000,
  rows: [
    { name: 'main.parseSchema', baseFlat: 0, newFlat: 0, baseCum: 630e6, newCum: 0 },
    { name: 'main.scoreFraud', baseFlat: 30e6, newFlat: 40e6, baseCum: 80e6, newCum: 250e6 },
    { name: 'main.same', baseFlat: 10e6, newFlat: 10e6, baseCum: 10e6, newCum: 10e6 },
  ],
  rowCount: 3,
  warnings: [],
  activeFilters: [],
  ...over,
});

/** The cells of a Markdown table row, split on unescaped pipes (as GitHub does). */
function cells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

describe('diffMarkdown', () => {
  const md = diffMarkdown(table(), { baseName: 'before/cpu.pb.gz', newName: 'after/cpu.pb.gz' });
  const lines = md.split('\n');

  it('has the totals with the change, and names both sides', () => {
    const total = lines.find((l) => l.startsWith('| **total cpu**'))!;
    expect(cells(total)).toEqual(['**total cpu**', '1s', '300ms', '−700ms (−70%)']);
    expect(md).toContain('`before/cpu.pb.gz`');
    expect(md).toContain('-diff_base');
  });

  it('lists changed functions by |Δ cum| with pprof percentages of the base total', () => {
    const rows = lines.filter((l) => l.startsWith('| `'));
    expect(rows.map((l) => cells(l)[0])).toEqual(['`main.parseSchema`', '`main.scoreFraud`']);
    expect(cells(rows[0])).toEqual([
      '`main.parseSchema`',
      '0',
      '0',
      '0',
      '630ms',
      '0',
      '−630ms',
      '−63.00%',
      'gone',
    ]);
    expect(cells(rows[1]).slice(3)).toEqual([
      '+10ms',
      '80ms',
      '250ms',
      '+170ms',
      '+17.00%',
      '+213%',
    ]);
    // Every data row has as many cells as the header.
    const header = lines.find((l) => l.startsWith('| function'))!;
    for (const r of rows) expect(cells(r)).toHaveLength(cells(header).length);
  });

  it('shows comparability findings and filter warnings as quotes', () => {
    const out = diffMarkdown(table({ warnings: ['Focus expression matched no samples'] }), {
      baseName: 'a',
      newName: 'b',
      findings: [
        {
          kind: 'duration',
          severity: 'warning',
          message: 'The durations differ by 50% (base 2 s, new 1 s)',
        },
        { kind: 'sample-types', severity: 'error', message: 'The sample types differ' },
      ],
    });
    expect(out).toContain('> Focus expression matched no samples');
    expect(out).toContain('> **Warning:** The durations differ by 50% (base 2 s, new 1 s)');
    expect(out).toContain('> **Not comparable:** The sample types differ');
  });

  it('says when nothing changed, and when rows were cut by --nodecount', () => {
    const same = diffMarkdown(table({ rows: [table().rows[2]], rowCount: 1 }), {
      baseName: 'a',
      newName: 'b',
    });
    expect(same).toContain('No function changed.');
    const cut = diffMarkdown(table({ rowCount: 40 }), { baseName: 'a', newName: 'b', maxRows: 2 });
    expect(cut).toContain('the first 2 of 40 functions');
  });

  it('keeps hostile names inert: pipes escaped, backticks fenced, no raw HTML', () => {
    const evil = 'main.(*T).<img src=x onerror=alert(1)>|`x`|';
    const out = diffMarkdown(
      table({
        rows: [{ name: evil, baseFlat: 1, newFlat: 2, baseCum: 1, newCum: 2 }],
        rowCount: 1,
      }),
      { baseName: 'a|b', newName: 'c' },
    );
    const row = out.split('\n').find((l) => l.includes('onerror'))!;
    const header = out.split('\n').find((l) => l.startsWith('| function'))!;
    expect(cells(row)).toHaveLength(cells(header).length);
    // The name sits in a code span whose fence is longer than any backtick run inside.
    expect(cells(row)[0]).toBe('``main.(*T).<img src=x onerror=alert(1)>\\|`x`\\|``');
    expect(mdCode('`a`')).toBe('`` `a` ``');
    expect(mdText('<b>*x*|_y_')).toBe('&lt;b&gt;\\*x\\*\\|\\_y\\_');
  });
});
