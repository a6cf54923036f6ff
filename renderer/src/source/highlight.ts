// Go syntax highlighting for the Source panel with Prism's tokenizer: the text is split into
// tokens (text + kind), never turned into HTML; the panel renders each token as a text node
// in a span whose class names the kind, so a hostile source line stays text.
import Prism, { type Token } from 'prismjs';
import 'prismjs/components/prism-go';

export interface SourceToken {
  text: string;
  /** Prism's token type ('' for plain text), e.g. keyword, string, comment. */
  kind: string;
}

const KINDS = new Set([
  'comment',
  'string',
  'char',
  'keyword',
  'builtin',
  'boolean',
  'number',
  'function',
  'operator',
  'punctuation',
  'class-name',
  'constant',
]);

function flatten(stream: (string | Token)[], kind: string, out: SourceToken[]): void {
  for (const t of stream) {
    if (typeof t === 'string') out.push({ text: t, kind });
    else {
      const k = KINDS.has(t.type) ? t.type : kind;
      const content = t.content;
      if (typeof content === 'string') out.push({ text: content, kind: k });
      else flatten(Array.isArray(content) ? content : [content], k, out);
    }
  }
}

/**
 * The tokens of each line of Go source (lines as given, without their line ends); tokens
 * that span lines (block comments, raw strings) are split at the line ends.
 */
export function highlightGo(lines: string[]): SourceToken[][] {
  const grammar = Prism.languages.go;
  const text = lines.join('\n');
  const flat: SourceToken[] = [];
  if (grammar) flatten(Prism.tokenize(text, grammar), '', flat);
  else flat.push({ text, kind: '' });
  const out: SourceToken[][] = [[]];
  for (const t of flat) {
    const parts = t.text.split('\n');
    parts.forEach((p, i) => {
      if (i > 0) out.push([]);
      if (p !== '') out[out.length - 1].push({ text: p, kind: t.kind });
    });
  }
  while (out.length < lines.length) out.push([]);
  return out;
}
