// How pprof finds a source file named in a profile (internal/report/source.go): its
// -trim_path/-source_path rewriting (trimPath), the places it then tries (openSourceFile:
// each search folder and each of its parents), its "not found" message, and how it splits
// a file into lines (bufio.ScanLines). Pure string work; the caller opens the files.
import { basePath, cleanPath } from './go-path';

/** Go's filepath.SplitList on Unix: '' is no entry at all, otherwise split at ':'. */
export function splitList(list: string): string[] {
  return list === '' ? [] : list.split(':');
}

/** Go's filepath.Dir for slash-separated paths. */
export function dirPath(path: string): string {
  const i = path.lastIndexOf('/');
  return cleanPath(path.slice(0, i + 1));
}

/** Go's filepath.Join of two parts (empty parts are skipped, the result is cleaned). */
export function joinPath(dir: string, path: string): string {
  if (dir === '') return path === '' ? '' : cleanPath(path);
  if (path === '') return cleanPath(dir);
  return cleanPath(`${dir}/${path}`);
}

/**
 * pprof's trimPath: with no trim path, the first search folder whose base name appears as
 * "/BASE/" in `path` drops everything up to it; then the first of the trim prefixes (and
 * pprof's own /proc/self/cwd prefixes) that starts the path is removed.
 */
export function pprofTrimPath(path: string, trim: string, searchPath: string): string {
  if (trim === '') {
    for (const dir of splitList(searchPath)) {
      const want = `/${basePath(dir)}/`;
      const found = path.indexOf(want);
      if (found !== -1) return path.slice(found + want.length);
    }
  }
  const prefixes = [...splitList(trim), '/proc/self/cwd/./', '/proc/self/cwd/'];
  for (let prefix of prefixes) {
    if (!prefix.endsWith('/')) prefix += '/';
    if (path.startsWith(prefix)) return path.slice(prefix.length);
  }
  return path;
}

export interface SourceLookup {
  /** The path after trimming, as pprof searches for it. */
  path: string;
  /** The files to try, in pprof's order: the first that opens is the source. */
  candidates: string[];
  /** pprof's message when none opens (an absolute path reports its own open error). */
  notFound: string;
}

/**
 * The files pprof's openSourceFile tries for `file` (a name as the report shows it): an
 * absolute path after trimming is opened as it is; a relative one is joined to every search
 * folder and to each of that folder's parents up to the root.
 */
export function sourceLookup(file: string, searchPath: string, trim: string): SourceLookup {
  const path = pprofTrimPath(file, trim, searchPath);
  if (path.startsWith('/')) {
    return {
      path,
      candidates: [path],
      notFound: `open ${path}: no such file or directory`,
    };
  }
  const candidates: string[] = [];
  for (let dir of splitList(searchPath)) {
    for (;;) {
      candidates.push(joinPath(dir, path));
      const parent = dir === '' ? '.' : dirPath(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return {
    path,
    candidates,
    notFound: `could not find file ${path} on path ${searchPath}`,
  };
}

/** bufio.Scanner's largest token: a longer line stops pprof's reading of the file. */
const MAX_SCAN_TOKEN = 64 * 1024;

/**
 * A file's lines as pprof reads them (bufio.ScanLines): split at '\n', one '\r' before it
 * dropped, a last line without '\n' kept when not empty. Reading stops before a line too
 * long for the scanner (pprof then shows the lines before it, with no error).
 */
export function splitSourceLines(text: string): string[] {
  const out: string[] = [];
  const enc = new TextEncoder();
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    let line = text.slice(at, end);
    // The scanner measures bytes; only long lines need the exact count.
    const bytes = line.length * 3 >= MAX_SCAN_TOKEN ? enc.encode(line).length : line.length;
    if (bytes + (nl === -1 ? 0 : 1) > MAX_SCAN_TOKEN) break;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    out.push(line);
    if (nl === -1) break;
    at = nl + 1;
  }
  return out;
}
