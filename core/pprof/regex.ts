// Go RE2 regular expressions (the syntax of pprof's focus, ignore, hide, show, ... options)
// translated to JavaScript RegExp.
//
// The pattern is parsed with Go's rules (regexp/syntax, Perl flags) and re-emitted with JS
// constructs that mean the same thing, so a pattern is accepted here exactly when Go accepts
// it, and matches the same strings. Go's meaning is kept explicitly where JS differs:
//   `.`        any character but \n (JS would also stop at \r, U+2028, U+2029)
//   `\s`       [\t\n\f\r ] (JS \s is Unicode-wide); `\w`, `\d` are ASCII as in Go
//   `(?m)^ $`  only \n separates lines
//   `\A \z`    start / end of text; `(?U)` swaps greedy and lazy; `\Q...\E` literal text
//   `[[:alpha:]]` POSIX classes, `\pL`, `\p{Greek}`, `\p{^Greek}`
// Differences that remain (documented, rare in function and file names):
//   - case folding is JavaScript's simple Unicode folding, and under (?i) JS's \b and \w also
//     match U+017F and U+212A;
//   - (?i) on only part of a pattern needs a JS engine with regexp modifiers (Chromium 125+);
//     without them such a pattern is rejected with a clear error (a leading (?i) always works);
//   - Unicode script and category names are JavaScript's, which follow a newer Unicode
//     version than some Go releases.
// Go rejects lookarounds and backreferences, and so does this translation.
import { ReportError } from './report-error';

type Node =
  | { t: 'lit'; cp: number; fold: boolean }
  | { t: 'any'; nl: boolean }
  | { t: 'class'; body: string; fold: boolean }
  | { t: 'assert'; js: string }
  | { t: 'group'; body: Node }
  | { t: 'concat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'repeat'; body: Node; min: number; max: number; greedy: boolean };

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

const MAX_REPEAT = 1000;

const POSIX: Record<string, Array<[number, number]>> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0x00, 0x7f]],
  blank: [
    [0x09, 0x09],
    [0x20, 0x20],
  ],
  cntrl: [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [0x09, 0x0d],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
    [0x5f, 0x5f],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

const PERL: Record<string, Array<[number, number]>> = {
  d: POSIX.digit!,
  s: [
    [0x09, 0x0a],
    [0x0c, 0x0d],
    [0x20, 0x20],
  ],
  w: POSIX.word!,
};

/** Unicode general categories Go accepts by bare name; anything else is a script name. */
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

function cpEsc(cp: number): string {
  if (
    (cp >= 0x30 && cp <= 0x39) ||
    (cp >= 0x41 && cp <= 0x5a) ||
    (cp >= 0x61 && cp <= 0x7a) ||
    cp === 0x5f
  ) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}

function rangesBody(ranges: Array<[number, number]>): string {
  return ranges.map(([lo, hi]) => (lo === hi ? cpEsc(lo) : `${cpEsc(lo)}-${cpEsc(hi)}`)).join('');
}

function fail(pattern: string, what: string): never {
  throw new ReportError('bad-regex', `invalid regular expression '${pattern}': ${what}`);
}

class Parser {
  private pos = 0;
  private readonly cps: number[];
  foldUsed = false;
  plainUsed = false;

  constructor(private readonly src: string) {
    this.cps = Array.from(src, (c) => c.codePointAt(0)!);
  }

  private peek(off = 0): number {
    return this.cps[this.pos + off] ?? -1;
  }

  private eof(): boolean {
    return this.pos >= this.cps.length;
  }

  private ch(off = 0): string {
    const c = this.peek(off);
    return c < 0 ? '' : String.fromCodePoint(c);
  }

  private err(what: string): never {
    fail(this.src, what);
  }

  parse(): Node {
    const flags: Flags = { i: false, m: false, s: false, U: false };
    const node = this.parseAlt(flags, 0);
    if (!this.eof()) this.err('unexpected )');
    return node;
  }

  /** Parses alternatives until ')' (depth > 0) or the end. Flag changes stay inside. */
  private parseAlt(outer: Flags, depth: number): Node {
    const flags = { ...outer };
    const alts: Node[] = [];
    let items: Node[] = [];
    let lastWasRepeat = false;
    for (;;) {
      if (this.eof()) {
        if (depth > 0) this.err('missing closing )');
        break;
      }
      const c = this.ch();
      if (c === ')') {
        if (depth === 0) this.err('unexpected )');
        break;
      }
      if (c === '|') {
        this.pos++;
        alts.push(concat(items));
        items = [];
        lastWasRepeat = false;
        continue;
      }
      if (c === '*' || c === '+' || c === '?' || (c === '{' && this.repeatBounds() !== null)) {
        const start = this.pos;
        let min: number;
        let max: number;
        if (c === '{') {
          const b = this.repeatBounds()!;
          min = b.min;
          max = b.max;
          this.pos = b.end;
        } else {
          this.pos++;
          min = c === '+' ? 1 : 0;
          max = c === '?' ? 1 : -1;
        }
        let greedy = true;
        if (this.ch() === '?') {
          this.pos++;
          greedy = false;
        }
        const op = this.cps
          .slice(start, this.pos)
          .map((x) => String.fromCodePoint(x))
          .join('');
        if (lastWasRepeat) this.err(`invalid nested repetition operator: \`${op}\``);
        const last = items.pop();
        if (!last) this.err(`missing argument to repetition operator: \`${op}\``);
        if (min > MAX_REPEAT || max > MAX_REPEAT) this.err(`invalid repeat count: \`${op}\``);
        if (max >= 0 && min > max) this.err(`invalid repeat count: \`${op}\``);
        items.push({ t: 'repeat', body: last, min, max, greedy: greedy !== flags.U });
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      if (c === '(') {
        const node = this.parseGroup(flags, depth);
        if (node) items.push(node);
        continue;
      }
      if (c === '\\' && this.ch(1) === 'Q') {
        this.pos += 2;
        while (!this.eof()) {
          if (this.ch() === '\\' && this.ch(1) === 'E') {
            this.pos += 2;
            break;
          }
          items.push(this.lit(this.peek(), flags));
          this.pos++;
        }
        continue;
      }
      items.push(this.parseAtom(flags));
    }
    alts.push(concat(items));
    return alts.length === 1 ? alts[0] : { t: 'alt', items: alts };
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor, or null when `{` is a literal (as in Go). */
  private repeatBounds(): { min: number; max: number; end: number } | null {
    let p = this.pos + 1;
    const num = (): number | null => {
      const s = p;
      while ((this.cps[p] ?? -1) >= 0x30 && (this.cps[p] ?? -1) <= 0x39) p++;
      if (p === s) return null;
      const digits = this.cps
        .slice(s, p)
        .map((x) => String.fromCodePoint(x))
        .join('');
      return digits.length > 8 ? Number.MAX_SAFE_INTEGER : Number(digits);
    };
    const min = num();
    if (min === null) return null;
    let max = min;
    if (this.cps[p] === 0x2c) {
      p++;
      if (this.cps[p] === 0x7d) max = -1;
      else {
        const m = num();
        if (m === null) return null;
        max = m;
      }
    }
    if (this.cps[p] !== 0x7d) return null;
    return { min, max, end: p + 1 };
  }

  private lit(cp: number, flags: Flags): Node {
    const letter =
      String.fromCodePoint(cp).toLowerCase() !== String.fromCodePoint(cp).toUpperCase();
    if (flags.i && letter) this.foldUsed = true;
    else if (letter) this.plainUsed = true;
    return { t: 'lit', cp, fold: flags.i && letter };
  }

  private classNode(body: string, flags: Flags): Node {
    if (flags.i) this.foldUsed = true;
    else this.plainUsed = true;
    return { t: 'class', body, fold: flags.i };
  }

  private parseGroup(flags: Flags, depth: number): Node | null {
    this.pos++; // (
    if (this.ch() !== '?') {
      const body = this.parseAlt(flags, depth + 1);
      this.pos++; // )
      return { t: 'group', body };
    }
    // (?P<name>re), (?<name>re), (?flags), (?flags:re)
    if (this.ch(1) === 'P' || (this.ch(1) === '<' && this.ch(2) !== '=' && this.ch(2) !== '!')) {
      const start = this.ch(1) === 'P' ? this.pos + 2 : this.pos + 1;
      if (this.cps[start] !== 0x3c) {
        this.err(`invalid named capture: \`${this.rest(this.pos - 1)}\``);
      }
      let p = start + 1;
      while (p < this.cps.length && this.cps[p] !== 0x3e) p++;
      const name = this.cps
        .slice(start + 1, p)
        .map((x) => String.fromCodePoint(x))
        .join('');
      if (p >= this.cps.length || !/^[A-Za-z0-9_]+$/.test(name)) {
        this.err(`invalid named capture: \`${this.rest(this.pos - 1)}\``);
      }
      this.pos = p + 1;
      const body = this.parseAlt(flags, depth + 1);
      this.pos++;
      return { t: 'group', body };
    }
    const open = this.pos - 1;
    this.pos++; // ?
    const next: Flags = { ...flags };
    let negate = false;
    let sawFlag = false;
    for (;;) {
      if (this.eof()) this.err('missing closing )');
      const c = this.ch();
      this.pos++;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        next[c] = !negate;
        sawFlag = true;
        continue;
      }
      if (c === '-') {
        if (negate) this.err(`invalid or unsupported Perl syntax: \`${this.rest(open)}\``);
        negate = true;
        sawFlag = false;
        continue;
      }
      if (c === ':' || c === ')') {
        if (negate && !sawFlag) {
          this.err(`invalid or unsupported Perl syntax: \`${this.rest(open)}\``);
        }
        if (c === ')') {
          // (?flags): applies to the rest of the enclosing group.
          Object.assign(flags, next);
          return null;
        }
        const body = this.parseAlt(next, depth + 1);
        this.pos++;
        return { t: 'group', body };
      }
      this.err(
        `invalid or unsupported Perl syntax: \`${this.rest(open).slice(0, this.pos - open)}\``,
      );
    }
  }

  private rest(from: number): string {
    return this.cps
      .slice(from)
      .map((x) => String.fromCodePoint(x))
      .join('');
  }

  private parseAtom(flags: Flags): Node {
    const c = this.ch();
    if (c === '.') {
      this.pos++;
      return { t: 'any', nl: flags.s };
    }
    if (c === '^') {
      this.pos++;
      return { t: 'assert', js: flags.m ? '(?<![^\\n])' : '^' };
    }
    if (c === '$') {
      this.pos++;
      return { t: 'assert', js: flags.m ? '(?![^\\n])' : '$' };
    }
    if (c === '[') return this.classNode(this.parseClass(), flags);
    if (c === '\\') {
      const e = this.ch(1);
      if (e === 'A') {
        this.pos += 2;
        return { t: 'assert', js: '^' };
      }
      if (e === 'z') {
        this.pos += 2;
        return { t: 'assert', js: '$' };
      }
      if (e === 'b' || e === 'B') {
        this.pos += 2;
        return { t: 'assert', js: `\\${e}` };
      }
      const cls = this.tryClassEscape();
      if (cls !== null) return this.classNode(`[${cls}]`, flags);
      return this.lit(this.parseEscape(), flags);
    }
    const cp = this.peek();
    this.pos++;
    return this.lit(cp, flags);
  }

  /** \d \D \s \S \w \W \pX \p{Name} \PX: the body of a class (to put inside [...]), or null. */
  private tryClassEscape(): string | null {
    const e = this.ch(1);
    const lower = e.toLowerCase();
    if (lower === 'd' || lower === 's' || lower === 'w') {
      this.pos += 2;
      const body = rangesBody(PERL[lower]);
      return e === lower ? body : `[^${body}]`;
    }
    if (e === 'p' || e === 'P') {
      this.pos += 2;
      let name: string;
      if (this.ch() === '{') {
        const close = this.cps.indexOf(0x7d, this.pos);
        if (close < 0) this.err(`invalid character class range: \`\\${e}${this.rest(this.pos)}\``);
        name = this.cps
          .slice(this.pos + 1, close)
          .map((x) => String.fromCodePoint(x))
          .join('');
        this.pos = close + 1;
      } else {
        if (this.eof()) this.err('trailing backslash at end of expression');
        name = this.ch();
        this.pos++;
      }
      let neg = e === 'P';
      if (name.startsWith('^')) {
        neg = !neg;
        name = name.slice(1);
      }
      let prop: string;
      if (name === 'Any') prop = 'Any';
      else if (CATEGORIES.has(name)) prop = name;
      else if (/^[A-Z][A-Za-z_]*$/.test(name)) prop = `Script=${name}`;
      else this.err(`invalid character class range: \`\\${e}{${name}}\``);
      try {
        new RegExp(`\\p{${prop}}`, 'u');
      } catch {
        this.err(`invalid character class range: \`\\${e}{${name}}\``);
      }
      return `${neg ? '\\P' : '\\p'}{${prop}}`;
    }
    return null;
  }

  /** One escaped character (Go parseEscape): the code point. */
  private parseEscape(): number {
    this.pos++; // backslash
    if (this.eof()) this.err('trailing backslash at end of expression');
    const c = this.ch();
    const cp = this.peek();
    this.pos++;
    if (c >= '1' && c <= '7' && !(this.ch() >= '0' && this.ch() <= '7')) {
      this.err(`invalid escape sequence: \`\\${c}\``);
    }
    if (c >= '0' && c <= '7') {
      let v = cp - 0x30;
      for (let k = 0; k < 2 && this.ch() >= '0' && this.ch() <= '7'; k++) {
        v = v * 8 + (this.peek() - 0x30);
        this.pos++;
      }
      return v;
    }
    switch (c) {
      case 'a':
        return 7;
      case 'f':
        return 12;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 't':
        return 9;
      case 'v':
        return 11;
      case 'x': {
        if (this.ch() === '{') {
          const close = this.cps.indexOf(0x7d, this.pos);
          const hex = close < 0 ? '' : this.rest(this.pos + 1).slice(0, close - this.pos - 1);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
            this.err(`invalid escape sequence: \`\\x${this.rest(this.pos).slice(0, 10)}\``);
          }
          this.pos = close + 1;
          return parseInt(hex, 16);
        }
        const hex = this.ch() + this.ch(1);
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
          this.err(`invalid escape sequence: \`\\x${hex}\``);
        }
        this.pos += 2;
        return parseInt(hex, 16);
      }
    }
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(c)) return cp; // escaped punctuation
    this.err(`invalid escape sequence: \`\\${c}\``);
  }

  /** A bracket expression, returned as a JS (v-mode) class `[...]`. */
  private parseClass(): string {
    const open = this.pos;
    this.pos++; // [
    let neg = false;
    if (this.ch() === '^') {
      neg = true;
      this.pos++;
    }
    const parts: string[] = [];
    let first = true;
    for (;;) {
      if (this.eof()) this.err(`missing closing ]: \`${this.rest(open)}\``);
      const c = this.ch();
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.ch(1) === ':') {
        const close = this.rest(this.pos).indexOf(':]');
        if (close >= 0) {
          let name = this.rest(this.pos + 2).slice(0, close - 2);
          const posixNeg = name.startsWith('^');
          if (posixNeg) name = name.slice(1);
          const ranges = POSIX[name];
          if (!ranges) {
            this.err(
              `invalid character class range: \`${this.rest(this.pos).slice(0, close + 2)}\``,
            );
          }
          this.pos += Array.from(this.rest(this.pos).slice(0, close + 2)).length;
          parts.push(posixNeg ? `[^${rangesBody(ranges)}]` : rangesBody(ranges));
          continue;
        }
      }
      if (c === '\\') {
        const cls = this.tryClassEscape();
        if (cls !== null) {
          parts.push(cls);
          continue;
        }
      }
      const lo = this.classChar(open);
      let hi = lo;
      if (this.ch() === '-' && this.ch(1) !== ']' && this.ch(1) !== '') {
        this.pos++;
        hi = this.classChar(open);
        if (hi < lo) {
          this.err(
            `invalid character class range: \`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}\``,
          );
        }
      }
      parts.push(lo === hi ? cpEsc(lo) : `${cpEsc(lo)}-${cpEsc(hi)}`);
    }
    return `[${neg ? '^' : ''}${parts.join('')}]`;
  }

  private classChar(open: number): number {
    if (this.eof()) this.err(`missing closing ]: \`${this.rest(open)}\``);
    if (this.ch() === '\\') return this.parseEscape();
    const cp = this.peek();
    this.pos++;
    return cp;
  }
}

function concat(items: Node[]): Node {
  return items.length === 1 ? items[0] : { t: 'concat', items };
}

let modifiersSupported: boolean | undefined;

function supportsModifiers(): boolean {
  if (modifiersSupported === undefined) {
    try {
      new RegExp('(?i:a)', 'v');
      modifiersSupported = true;
    } catch {
      modifiersSupported = false;
    }
  }
  return modifiersSupported;
}

function emit(node: Node, scoped: boolean): string {
  switch (node.t) {
    case 'lit':
      return node.fold && scoped ? `(?i:${cpEsc(node.cp)})` : cpEsc(node.cp);
    case 'any':
      return node.nl ? '[\\s\\S]' : '[^\\n]';
    case 'class':
      return node.fold && scoped ? `(?i:${node.body})` : node.body;
    case 'assert':
      return node.js;
    case 'group':
      return `(?:${emit(node.body, scoped)})`;
    case 'concat':
      return node.items.map((n) => emit(n, scoped)).join('');
    case 'alt':
      return node.items.map((n) => emit(n, scoped)).join('|');
    case 'repeat': {
      const body = emit(node.body, scoped);
      const atom =
        node.body.t === 'lit' || node.body.t === 'any' || node.body.t === 'class'
          ? body
          : `(?:${body})`;
      let q: string;
      if (node.min === 0 && node.max === -1) q = '*';
      else if (node.min === 1 && node.max === -1) q = '+';
      else if (node.min === 0 && node.max === 1) q = '?';
      else if (node.max === -1) q = `{${node.min},}`;
      else if (node.min === node.max) q = `{${node.min}}`;
      else q = `{${node.min},${node.max}}`;
      return atom + q + (node.greedy ? '' : '?');
    }
  }
}

/**
 * Compiles a Go RE2 pattern into an unanchored JavaScript RegExp with the same meaning.
 * Throws ReportError 'bad-regex' for what Go rejects, 'unsupported-regex' for the one
 * construct this runtime cannot express (a case-insensitive flag on part of a pattern).
 */
export function compileGoRegex(pattern: string): RegExp {
  const parser = new Parser(pattern);
  const ast = parser.parse();
  let flags = 'v';
  let scoped = false;
  if (parser.foldUsed && !parser.plainUsed) flags += 'i';
  else if (parser.foldUsed) {
    if (!supportsModifiers()) {
      throw new ReportError(
        'unsupported-regex',
        `regular expression '${pattern}' turns (?i) on for only part of the pattern, which this JavaScript engine cannot do; put (?i) at the start to make the whole pattern case-insensitive`,
      );
    }
    scoped = true;
  }
  const source = emit(ast, scoped);
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new ReportError(
      'unsupported-regex',
      `regular expression '${pattern}' could not be translated to JavaScript: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Compiles an optional option value: '' and undefined mean "no filter". */
export function compileOptionalRegex(name: string, pattern: string | undefined): RegExp | null {
  if (pattern === undefined || pattern === '') return null;
  try {
    return compileGoRegex(pattern);
  } catch (err) {
    if (err instanceof ReportError) throw new ReportError(err.kind, `${name}: ${err.message}`);
    throw err;
  }
}
