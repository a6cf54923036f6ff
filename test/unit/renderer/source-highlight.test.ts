// The Source panel's Go highlighting: tokens, not HTML. Every line's tokens give back the
// line exactly (a hostile line included), keywords, strings and comments are recognized,
// and tokens spanning lines are split per line.
import { describe, expect, it } from 'vitest';
import { highlightGo } from '../../../renderer/src/source/highlight';

const join = (line: { text: string }[]): string => line.map((t) => t.text).join('');

describe('highlightGo', () => {
  it('gives back every line as text, even markup in a string or comment', () => {
    const lines = [
      'package main',
      '',
      'func f() string { // <img src=x onerror="alert(1)">',
      '\treturn "</span><script>alert(1)</script>&amp;"',
      '}',
    ];
    const toks = highlightGo(lines);
    expect(toks).toHaveLength(lines.length);
    toks.forEach((t, i) => expect(join(t)).toBe(lines[i]));
    const script = toks[3].find((t) => t.text.includes('<script>'));
    expect(script?.kind).toBe('string');
    const comment = toks[2].find((t) => t.text.includes('<img'));
    expect(comment?.kind).toBe('comment');
  });

  it('knows Go keywords and splits a block comment across lines', () => {
    const toks = highlightGo(['func main() {', '\t/* one', 'two */ go f()', '}']);
    expect(toks[0][0]).toEqual({ text: 'func', kind: 'keyword' });
    expect(toks[1].some((t) => t.kind === 'comment' && t.text.includes('one'))).toBe(true);
    expect(toks[2][0]).toEqual({ text: 'two */', kind: 'comment' });
    expect(toks[2].some((t) => t.text === 'go' && t.kind === 'keyword')).toBe(true);
  });
});
