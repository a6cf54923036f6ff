// File-name handling pprof applies before naming report nodes: its default trim of
// "/proc/self/cwd/" prefixes (report.trimPath) and Go's lexical filepath.Clean.

/** Go's filepath.Clean for slash-separated paths. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

const DEFAULT_TRIMS = ['/proc/self/cwd/./', '/proc/self/cwd/'];

/** pprof's trimPath with no -trim_path/-source_path: strips the /proc/self/cwd prefixes. */
export function trimDefaultPrefixes(path: string): string {
  for (const prefix of DEFAULT_TRIMS) {
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}

/** The file name a report node shows: trimmed, then cleaned ('' stays ''). */
export function reportFileName(path: string): string {
  if (path === '') return '';
  return cleanPath(trimDefaultPrefixes(path));
}

/** Go's filepath.Base for slash-separated paths. */
export function basePath(path: string): string {
  if (path === '') return '.';
  let p = path;
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  if (p === '/') return '/';
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}
