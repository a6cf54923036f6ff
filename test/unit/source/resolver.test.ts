// Source resolution on a real file tree: the order of the places tried (recorded path, the
// user's source roots, GOROOT, the module cache), and every refusal: "..", absolute paths
// outside the roots, symbolic links leading out, folders, files over the size limit.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceResult } from '../../../core/contract';
import { expandFolder, resolveSource, type ResolveConfig } from '../../../electron/services/source';

let dir: string;
let cfg: ResolveConfig;

function put(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-source-'));
  put(join(dir, 'src/orders/pricing.go'), 'package main // orders\n');
  put(join(dir, 'goroot/src/runtime/malloc.go'), 'package runtime // malloc\n');
  put(join(dir, 'modcache/github.com/!acme/lib@v1.2.3/x.go'), 'package lib // modcache\n');
  put(join(dir, 'outside/secret.go'), 'TOP SECRET\n');
  put(join(dir, 'src/orders/big.go'), 'x'.repeat(2000));
  mkdirSync(join(dir, 'src/orders/folder.go'));
  symlinkSync(join(dir, 'outside/secret.go'), join(dir, 'src/orders/link.go'));
  symlinkSync(join(dir, 'outside'), join(dir, 'src/orders/linkdir'));
  symlinkSync(join(dir, 'src/orders/pricing.go'), join(dir, 'src/orders/inside-link.go'));
  cfg = {
    roots: [{ prefix: 'github.com/acme/orders', folder: join(dir, 'src/orders') }],
    goroot: join(dir, 'goroot'),
    gomodcache: join(dir, 'modcache'),
    maxBytes: 1000,
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function found(r: SourceResult): Extract<SourceResult, { status: 'found' }> {
  if (r.status !== 'found') throw new Error(`not found: ${JSON.stringify(r.tried)}`);
  return r;
}

describe('resolveSource finds', () => {
  it('a path under a source root prefix in the mapped folder', async () => {
    const r = found(await resolveSource('github.com/acme/orders/pricing.go', cfg));
    expect(r.via).toBe('root');
    expect(r.text).toBe('package main // orders\n');
  });

  it('a standard library path of a -trimpath build in GOROOT/src', async () => {
    const r = found(await resolveSource('runtime/malloc.go', cfg));
    expect(r.via).toBe('goroot');
    expect(r.text).toContain('malloc');
  });

  it("another machine's GOROOT path in this GOROOT", async () => {
    const r = found(await resolveSource('/usr/local/go/src/runtime/malloc.go', cfg));
    expect(r.via).toBe('goroot');
  });

  it('a module@version path in the module cache, escaped', async () => {
    const r = found(await resolveSource('github.com/Acme/lib@v1.2.3/x.go', cfg));
    expect(r.via).toBe('gomodcache');
    expect(r.text).toContain('modcache');
    const abs = found(
      await resolveSource('/home/ci/go/pkg/mod/github.com/!acme/lib@v1.2.3/x.go', cfg),
    );
    expect(abs.via).toBe('gomodcache');
  });

  it('the recorded absolute path first, when it lies under a root', async () => {
    const r = found(await resolveSource(join(dir, 'src/orders/pricing.go'), cfg));
    expect(r.via).toBe('recorded');
    expect(r.tried).toEqual([]);
  });

  it('a recorded absolute path under a root written with a trailing slash', async () => {
    const slashed = { ...cfg, roots: [{ prefix: '', folder: `${join(dir, 'src/orders')}/` }] };
    const r = found(await resolveSource(join(dir, 'src/orders/pricing.go'), slashed));
    expect(r.via).toBe('recorded');
    expect(r.path).toBe(join(dir, 'src/orders/pricing.go'));
  });

  it('a symbolic link that stays inside its root', async () => {
    const r = found(await resolveSource('github.com/acme/orders/inside-link.go', cfg));
    expect(r.text).toBe('package main // orders\n');
  });

  it('~/ as the home folder in a root', () => {
    expect(expandFolder('~/src/orders')).toMatch(/\/src\/orders$/);
    expect(expandFolder('relative/path')).toBe('');
  });
});

describe('resolveSource refuses', () => {
  it('a path with a ".." segment, without looking anywhere', async () => {
    const r = await resolveSource('github.com/acme/orders/../../outside/secret.go', cfg);
    expect(r.status).toBe('not-found');
    expect(r.tried).toEqual([
      expect.objectContaining({ outcome: 'parent-segment', via: 'recorded' }),
    ]);
  });

  it('an absolute path outside every root', async () => {
    const r = await resolveSource(join(dir, 'outside/secret.go'), cfg);
    expect(r.status).toBe('not-found');
    expect(r.tried[0]).toMatchObject({ via: 'recorded', outcome: 'outside-roots' });
    expect(JSON.stringify(r)).not.toContain('TOP SECRET');
  });

  it('a symbolic link to a file outside the root', async () => {
    const r = await resolveSource('github.com/acme/orders/link.go', cfg);
    expect(r.status).toBe('not-found');
    expect(r.tried[0]).toMatchObject({ via: 'root', outcome: 'symlink-out' });
    expect(JSON.stringify(r)).not.toContain('TOP SECRET');
  });

  it('a path through a symlinked folder that leads out', async () => {
    const r = await resolveSource('github.com/acme/orders/linkdir/secret.go', cfg);
    expect(r.status).toBe('not-found');
    expect(r.tried[0]).toMatchObject({ outcome: 'symlink-out' });
  });

  it('a file over the size limit', async () => {
    const r = await resolveSource('github.com/acme/orders/big.go', cfg);
    expect(r.status).toBe('not-found');
    expect(r.tried[0]).toMatchObject({ outcome: 'too-large' });
  });

  it('a folder', async () => {
    const r = await resolveSource('github.com/acme/orders/folder.go', cfg);
    expect(r.tried[0]).toMatchObject({ outcome: 'not-a-file' });
  });

  it('and lists every place tried when nothing matches, with a prefix to map', async () => {
    const r = await resolveSource('pprofstudio/targets/orders/pricing.go', cfg);
    expect(r.status).toBe('not-found');
    if (r.status !== 'not-found') return;
    expect(r.suggestedPrefix).toBe('pprofstudio/targets/orders');
    expect(r.tried.map((t) => [t.via, t.outcome])).toEqual([['goroot', 'missing']]);
    expect(r.tried[0].path).toBe(join(dir, 'goroot/src/pprofstudio/targets/orders/pricing.go'));
  });
});
