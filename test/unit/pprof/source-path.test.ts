// pprof's source lookup (internal/report/source.go): -trim_path and its base-name heuristic,
// the folders tried (each search folder and its parents), its messages, and bufio.ScanLines.
import { describe, expect, it } from 'vitest';
import { pprofTrimPath, sourceLookup, splitSourceLines } from '../../../core/pprof/source-path';

describe('pprofTrimPath', () => {
  it('drops everything up to a search folder base name when no trim path is given', () => {
    expect(
      pprofTrimPath('/some/remote/path/my-project/foo/bar.go', '', '/my/local/my-project'),
    ).toBe('foo/bar.go');
    // The first search folder that matches wins.
    expect(pprofTrimPath('a/orders/x/orders/y.go', '', '/p/orders:/q/x')).toBe('x/orders/y.go');
  });

  it('removes the first configured prefix (with or without a trailing slash), then /proc/self/cwd', () => {
    expect(pprofTrimPath('/build/src/x/a.go', '/build/src', '')).toBe('x/a.go');
    expect(pprofTrimPath('/build/src/x/a.go', '/nope:/build/', '')).toBe('src/x/a.go');
    expect(pprofTrimPath('/proc/self/cwd/./x.go', '', '')).toBe('x.go');
    expect(pprofTrimPath('/proc/self/cwd/x.go', '', '')).toBe('x.go');
    // A trim path turns the base-name heuristic off.
    expect(pprofTrimPath('/r/orders/a.go', '/zzz', '/local/orders')).toBe('/r/orders/a.go');
  });
});

describe('sourceLookup', () => {
  it('tries a relative path in every search folder and each of its parents', () => {
    const l = sourceLookup('runtime/proc.go', '/x/y:/z', '');
    expect(l.candidates).toEqual([
      '/x/y/runtime/proc.go',
      '/x/runtime/proc.go',
      '/runtime/proc.go',
      '/z/runtime/proc.go',
      '/runtime/proc.go',
    ]);
    expect(l.notFound).toBe('could not find file runtime/proc.go on path /x/y:/z');
  });

  it('opens an absolute path as it is, and says what Go says when it is missing', () => {
    const l = sourceLookup('/abs/a.go', '/x', '');
    expect(l.candidates).toEqual(['/abs/a.go']);
    expect(l.notFound).toBe('open /abs/a.go: no such file or directory');
  });
});

describe('splitSourceLines', () => {
  it('splits like bufio.ScanLines: one CR dropped, no empty last line, a last line without newline kept', () => {
    expect(splitSourceLines('a\r\nb\n\nc')).toEqual(['a', 'b', '', 'c']);
    expect(splitSourceLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitSourceLines('')).toEqual([]);
  });

  it('stops before a line longer than the scanner takes (64 KiB)', () => {
    const long = 'x'.repeat(70_000);
    expect(splitSourceLines(`a\n${long}\nb\n`)).toEqual(['a']);
    // Bytes, not characters: 30,000 three-byte characters are too long too.
    expect(splitSourceLines(`a\n${'€'.repeat(30_000)}\n`)).toEqual(['a']);
    expect(splitSourceLines(`a\n${'x'.repeat(60_000)}\n`)).toHaveLength(2);
  });
});
