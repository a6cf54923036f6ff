// Parses the /debug/pprof/ index page of net/http/pprof into the offered profiles.
// The page is HTML from the target: we read names and counts out of it as text only.

export interface OfferedProfile {
  name: string;
  /** The count column (samples/goroutines/...); null where the page shows none (profile, trace, ...). */
  count: number | null;
  description: string;
}

// The page comes from the target, so it is parsed in bounded, linear steps: the text is
// capped, split at each `<tr>` / `<li>`, and each piece (capped too) is matched by an anchored
// pattern whose every `\s*` is followed by a literal, so no input backtracks super-linearly.
// (A pattern with `\s*` on both sides of an optional group took 13 s on `<tr><td>` + 200k spaces.)
/** The index Go serves is a few KiB; anything past this is not read. */
export const MAX_INDEX_TEXT = 256 * 1024;
/** A table row or list item of the real page is under 300 characters. */
const MAX_PIECE = 2048;
const rowRe =
  /^\s*<td>([^<]*)<\/td>\s*<td>\s*<a\s+href\s*=\s*['"]([^'"<]*)['"]\s*>([^<]*)<\/a>\s*<\/td>\s*<\/tr>/i;
const descRe = /^\s*<div class=['"]?profile-name['"]?>([^<]*)<\/div>([^<]*)<\/li>/i;

/** The text after each opening `tag` (case-insensitive), each cut to MAX_PIECE characters. */
function piecesAfter(text: string, tag: string): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  for (let i = lower.indexOf(tag); i >= 0; i = lower.indexOf(tag, i + tag.length))
    out.push(text.slice(i + tag.length, i + tag.length + MAX_PIECE));
  return out;
}

export function decodeHtmlText(s: string): string {
  return s.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot|#39|apos);/gi, (m, e: string) => {
    const k = e.toLowerCase();
    if (k === 'amp') return '&';
    if (k === 'lt') return '<';
    if (k === 'gt') return '>';
    if (k === 'quot') return '"';
    if (k === '#39' || k === 'apos') return "'";
    const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** Null when the page is not a pprof index (no profile table with the runtime's profiles). */
export function parsePprofIndex(html: string): OfferedProfile[] | null {
  const text = html.length > MAX_INDEX_TEXT ? html.slice(0, MAX_INDEX_TEXT) : html;
  const descriptions = new Map<string, string>();
  for (const piece of piecesAfter(text, '<li>')) {
    const m = descRe.exec(piece);
    if (!m) continue;
    const label = m[1].trim();
    if (!label.endsWith(':')) continue;
    descriptions.set(decodeHtmlText(label.slice(0, -1).trim()), decodeHtmlText(m[2].trim()));
  }
  const out: OfferedProfile[] = [];
  for (const piece of piecesAfter(text, '<tr>')) {
    const m = rowRe.exec(piece);
    if (!m) continue;
    const name = decodeHtmlText(m[3].trim());
    const count = m[1].trim();
    if (!name || !/^\d*$/.test(count)) continue;
    out.push({
      name,
      count: count === '' ? null : Number(count),
      description: descriptions.get(name) ?? '',
    });
  }
  // Every Go runtime registers these two; a page without them is something else.
  const names = new Set(out.map((p) => p.name));
  if (!names.has('goroutine') || !names.has('heap')) return null;
  return out;
}

/** cmdline answers os.Args joined by NUL bytes. */
export function parseCmdline(body: string): string[] {
  if (body === '') return [];
  return body.split('\0');
}
