// Finds a source file a profile names, on this machine, and reads it only when it lies under
// one of the allowed roots. Candidates, in order:
//   recorded    the path as the profile records it (when absolute);
//   root        each user source root: a recorded-path prefix mapped to a local folder;
//   goroot      GOROOT/src for the standard library (relative paths of -trimpath builds,
//               or the part after "/src/" of another machine's GOROOT);
//   gomodcache  module@version paths, in the module cache (its escaped form).
// Every candidate must stay under its root after symlinks are followed (realpath), be a
// regular file and not exceed the size limit. A recorded path with a ".." segment is never
// used at all. Self-contained on purpose: nothing else in the back end reads source files.
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import type {
  SourceAttempt,
  SourceRejection,
  SourceResult,
  SourceRoot,
  SourceVia,
} from '../../../core/contract';

export interface ResolveConfig {
  roots: SourceRoot[];
  /** '' when unknown. */
  goroot: string;
  gomodcache: string;
  maxBytes: number;
}

/** A folder as the user wrote it: "~/" is the home folder; the result is absolute or ''. */
export function expandFolder(folder: string): string {
  let f = folder.trim();
  if (f === '~') f = homedir();
  else if (f.startsWith('~/')) f = join(homedir(), f.slice(2));
  if (!isAbsolute(f)) return '';
  f = normalize(f);
  // No trailing separator: paths under the folder are cut right after it.
  while (f.length > 1 && f.endsWith(sep)) f = f.slice(0, -1);
  return f;
}

/** The module cache's escaping of a module path: an upper-case letter becomes "!" + lower. */
export function escapeModulePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

interface Candidate {
  via: SourceVia;
  /** The folder the file must stay under. */
  root: string;
  /** Path relative to root (slash-separated, no '..'). */
  rel: string;
}

function under(root: string, path: string): boolean {
  const r = root.endsWith(sep) ? root : root + sep;
  return path === root || path.startsWith(r);
}

function hasParentSegment(path: string): boolean {
  return path.split(/[\\/]/).includes('..');
}

/** The candidates for a recorded path, in the order they are tried. */
export function sourceCandidates(file: string, cfg: ResolveConfig): Candidate[] {
  const path = file.replace(/\\/g, '/');
  const out: Candidate[] = [];
  const rootFolders = cfg.roots
    .map((r) => ({
      prefix: r.prefix.replace(/\\/g, '/').replace(/\/+$/, ''),
      folder: expandFolder(r.folder),
    }))
    .filter((r) => r.folder !== '');
  const absolute = path.startsWith('/') || /^[A-Za-z]:\//.test(path);
  const goroot = cfg.goroot === '' ? '' : expandFolder(cfg.goroot);
  const gomodcache = cfg.gomodcache === '' ? '' : expandFolder(cfg.gomodcache);

  if (absolute) {
    // The recorded path itself, when it lies under a root folder, GOROOT or the module cache.
    const allowed = [...rootFolders.map((r) => r.folder), goroot, gomodcache].filter(
      (f) => f !== '',
    );
    const abs = normalize(path);
    const root = allowed.find((f) => under(f, abs));
    out.push({ via: 'recorded', root: root ?? '', rel: root ? abs.slice(root.length + 1) : abs });
  }
  for (const r of rootFolders) {
    if (r.prefix === '') {
      if (!absolute) out.push({ via: 'root', root: r.folder, rel: path });
    } else if (path.startsWith(`${r.prefix}/`)) {
      out.push({ via: 'root', root: r.folder, rel: path.slice(r.prefix.length + 1) });
    }
  }
  const moduleAt = /(^|\/)[^/]+@v[^/]+\//.exec(path);
  if (goroot !== '' && !moduleAt) {
    const src = join(goroot, 'src');
    if (!absolute) out.push({ via: 'goroot', root: src, rel: path });
    else {
      // Another machine's GOROOT: what follows its "/src/".
      for (let i = path.indexOf('/src/'); i >= 0; i = path.indexOf('/src/', i + 1)) {
        out.push({ via: 'goroot', root: src, rel: path.slice(i + 5) });
      }
    }
  }
  if (gomodcache !== '' && moduleAt) {
    const mod = path.lastIndexOf('/pkg/mod/');
    if (mod >= 0) out.push({ via: 'gomodcache', root: gomodcache, rel: path.slice(mod + 9) });
    else if (!absolute) {
      const at = path.indexOf('@');
      out.push({
        via: 'gomodcache',
        root: gomodcache,
        rel: escapeModulePath(path.slice(0, at)) + path.slice(at),
      });
    }
  }
  return out;
}

/** The folder part of a recorded path: what a new source root would map. */
export function suggestedPrefix(file: string): string {
  const path = file.replace(/\\/g, '/');
  const i = path.lastIndexOf('/');
  return i > 0 ? path.slice(0, i) : '';
}

const DETAIL: Record<SourceRejection, string> = {
  missing: 'no such file',
  'outside-roots': 'not under a source root, GOROOT or the module cache',
  'parent-segment': 'the path has a ".." segment',
  'symlink-out': 'a symbolic link leads out of its root',
  'not-a-file': 'not a regular file',
  'too-large': 'larger than the size limit',
  unreadable: 'cannot be read',
};

function attempt(
  via: SourceVia,
  path: string,
  outcome: SourceRejection,
  extra = '',
): SourceAttempt {
  return { via, path, outcome, detail: extra ? `${DETAIL[outcome]} (${extra})` : DETAIL[outcome] };
}

/** Finds and reads `file` (as recorded in a profile) under the configured roots. */
export async function resolveSource(file: string, cfg: ResolveConfig): Promise<SourceResult> {
  const tried: SourceAttempt[] = [];
  const notFound = (): SourceResult => ({
    status: 'not-found',
    file,
    tried,
    suggestedPrefix: suggestedPrefix(file),
  });
  if (hasParentSegment(file)) {
    tried.push(attempt('recorded', file, 'parent-segment'));
    return notFound();
  }
  const realRoots = new Map<string, string | null>();
  for (const c of sourceCandidates(file, cfg)) {
    if (c.root === '') {
      tried.push(attempt(c.via, c.rel, 'outside-roots'));
      continue;
    }
    const path = resolve(c.root, ...c.rel.split('/'));
    if (!under(c.root, path)) {
      tried.push(attempt(c.via, path, 'outside-roots'));
      continue;
    }
    try {
      await lstat(path);
    } catch {
      tried.push(attempt(c.via, path, 'missing'));
      continue;
    }
    let realRoot = realRoots.get(c.root);
    if (realRoot === undefined) {
      realRoot = await realpath(c.root).catch(() => null);
      realRoots.set(c.root, realRoot);
    }
    let real: string;
    try {
      real = await realpath(path);
    } catch {
      // A dangling link.
      tried.push(attempt(c.via, path, 'missing'));
      continue;
    }
    if (realRoot === null || !under(realRoot, real)) {
      tried.push(attempt(c.via, path, 'symlink-out', real));
      continue;
    }
    try {
      const st = await stat(real);
      if (!st.isFile()) {
        tried.push(attempt(c.via, path, 'not-a-file'));
        continue;
      }
      if (st.size > cfg.maxBytes) {
        tried.push(attempt(c.via, path, 'too-large', `${st.size} bytes, limit ${cfg.maxBytes}`));
        continue;
      }
      const text = await readFile(real, 'utf8');
      // The file may have grown between stat and read.
      if (Buffer.byteLength(text) > cfg.maxBytes) {
        tried.push(attempt(c.via, path, 'too-large', `limit ${cfg.maxBytes} bytes`));
        continue;
      }
      return { status: 'found', file, via: c.via, path: real, text, tried };
    } catch (e) {
      tried.push(attempt(c.via, path, 'unreadable', (e as Error).message));
    }
  }
  return notFound();
}
