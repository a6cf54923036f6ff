// Parses the /debug/pprof/ index page of net/http/pprof into the offered profiles.
// The page is HTML from the target: we read names and counts out of it as text only.

export interface OfferedProfile {
  name: string;
  /** The count column (samples/goroutines/...); null where the page shows none (profile, trace, ...). */
  count: number | null;
  description: string;
}

const rowRe =
  /<tr>\s*<td>\s*(\d*)\s*<\/td>\s*<td>\s*<a\s+href\s*=\s*['"]([^'"]*)['"]\s*>([^<]*)<\/a>\s*<\/td>\s*<\/tr>/gi;
const descRe = /<li>\s*<div class=['"]?profile-name['"]?>([^<]*?):\s*<\/div>([^<]*)<\/li>/gi;

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
  const descriptions = new Map<string, string>();
  for (const m of html.matchAll(descRe))
    descriptions.set(decodeHtmlText(m[1]!.trim()), decodeHtmlText(m[2]!.trim()));
  const out: OfferedProfile[] = [];
  for (const m of html.matchAll(rowRe)) {
    const name = decodeHtmlText(m[3]!.trim());
    if (!name) continue;
    out.push({
      name,
      count: m[1] === '' ? null : Number(m[1]),
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
