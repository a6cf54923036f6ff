// Resolves a request path to a file of the built renderer, refusing anything that could
// leave its folder (.., encoded slashes, NUL, absolute or drive paths, symlinks out).
// Shared by serve mode and the app's app:// protocol handler.
import { realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep, isAbsolute } from 'node:path';

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeOf(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { ok: true; file: string; contentType: string }
  | { ok: false; status: 400 | 404; reason: string };

/**
 * Maps a URL path ("/assets/index.js", already without query) to a file under `root`.
 * "/" and extension-less paths that are not files fall back to index.html (the app has one page).
 */
export async function resolveStatic(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding in the path' };
  }
  if (!decoded.startsWith('/'))
    return { ok: false, status: 400, reason: 'the path must start with /' };
  if (decoded.includes('\0') || decoded.includes('\\'))
    return { ok: false, status: 400, reason: 'the path contains a forbidden character' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || /^[A-Za-z]:/.test(s)))
    return { ok: false, status: 400, reason: 'the path leaves the renderer folder' };
  const base = resolve(root);
  const wanted = segments.length === 0 ? 'index.html' : segments.join('/');
  const candidate = resolve(base, wanted);
  if (!inside(base, candidate))
    return { ok: false, status: 400, reason: 'the path leaves the renderer folder' };

  const found = await fileInside(base, candidate);
  if (found) return { ok: true, file: found, contentType: mimeTypeOf(found) };
  if (extname(wanted) === '') {
    const index = await fileInside(base, join(base, 'index.html'));
    if (index) return { ok: true, file: index, contentType: mimeTypeOf(index) };
  }
  return { ok: false, status: 404, reason: 'no such file' };
}

function inside(base: string, p: string): boolean {
  const rel = relative(base, p);
  return (
    rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'))
  );
}

/** The real path of a regular file inside base (symlinks resolved), or null. */
async function fileInside(base: string, p: string): Promise<string | null> {
  try {
    const [realBase, real] = await Promise.all([realpath(base), realpath(p)]);
    if (!inside(realBase, real)) return null;
    const st = await stat(real);
    return st.isFile() ? real : null;
  } catch {
    return null;
  }
}
