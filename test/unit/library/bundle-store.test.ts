// The library's bundle records and bundle.json as untrusted input: a file name that would
// leave the folder is refused by the manifest's validator, a record that does not read is
// reported (not deleted, not fatal) and the others are listed; and the leaked-count readers.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleManifest, type BundleManifest } from '../../../core/contract';
import { Library } from '../../../electron/services/library';
import { BundleStore } from '../../../electron/services/library/bundles';
import { indexListsLeakProfile, parseLeakTotal } from '../../../electron/services/poll/leak-check';
import { tempDir } from '../live/support';

const manifest = (file: string): BundleManifest => ({
  format: 'pprof-studio-bundle',
  version: 1,
  groupId: 'g1',
  name: 'orders · bundle 1 s',
  note: '',
  target: null,
  window: null,
  finishedAt: null,
  build: { binary: null, buildId: null, traceFormat: null },
  parts: [
    {
      kind: 'cpu',
      file,
      state: 'failed',
      elapsedSeconds: 0,
      totalSeconds: 1,
      bytes: 0,
      snapshotId: null,
      captureId: null,
      error: { kind: 'http', message: 'HTTP 500' },
    },
  ],
  failures: [{ kind: 'cpu', reason: 'HTTP 500' }],
  memStats: { NumGC: 3, PauseNs: [1, 2, 3] },
  coldStart: null,
});

describe('bundle manifests', () => {
  it('accept a plain file name and refuse one that leaves the folder', () => {
    expect(bundleManifest.check(manifest('cpu.pb.gz'), '').ok).toBe(true);
    for (const bad of ['../cpu.pb.gz', 'a/b', 'a\\b', '..', '.', 'x\u0000y', ''])
      expect(bundleManifest.check(manifest(bad), '').ok, JSON.stringify(bad)).toBe(false);
    expect(bundleManifest.check({ ...manifest('cpu.pb.gz'), memStats: { x: 'y' } }, '').ok).toBe(
      false,
    );
  });

  it('a record that does not read is reported and the others are listed', async () => {
    const dir = tempDir('bundle-store');
    const lib = await Library.open(dir);
    const first = await BundleStore.open(lib);
    await first.saveCaptured(manifest('cpu.pb.gz'), null);
    await fs.writeFile(join(dir, 'bundles', 'broken.json'), '{"manifest": 1');
    await fs.writeFile(join(dir, 'bundles', 'other.json'), JSON.stringify({ ...first.get('g1') }));
    const again = await BundleStore.open(lib);
    expect(again.list().map((b) => b.manifest.groupId)).toEqual(['g1']);
    expect(again.problems.map((p) => p.file).sort()).toEqual([
      'bundles/broken.json',
      'bundles/other.json',
    ]);
    expect(again.problems.find((p) => p.file === 'bundles/other.json')!.reason).toMatch(
      /names another bundle/,
    );
    // The library itself does not take the bundles folder for a stray file.
    expect((await lib.rescan()).problems).toEqual([]);
  });
});

describe('leaked-count readers', () => {
  it('read the total and whether the index lists goroutineleak', () => {
    expect(parseLeakTotal('goroutineleak profile: total 37\n37 @ 0x1\n')).toBe(37);
    expect(parseLeakTotal('goroutine profile: total 37\n')).toBeNull();
    expect(indexListsLeakProfile("<a href='goroutine?debug=1'>goroutine</a>")).toBe(false);
    expect(
      indexListsLeakProfile(
        "<a href='goroutine?debug=1'>goroutine</a><a href='goroutineleak?debug=1'>goroutineleak</a>",
      ),
    ).toBe(true);
    expect(indexListsLeakProfile('404 page not found')).toBeNull();
  });
});
