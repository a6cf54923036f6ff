// The electron-builder configuration, checked as far as possible without an Electron binary:
// electron-builder's own schema validation, and every file it points at.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const require = createRequire(import.meta.url);

interface Association {
  ext: string;
  mimeType?: string;
  rank?: string;
  role?: string;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { buildResources: string; output: string };
  asar: boolean;
  extraResources: { from: string; to: string }[];
  fileAssociations: Association[];
  linux: {
    target: string[];
    icon: string;
    maintainer: string;
    fileAssociations: Association[];
    category: string;
  };
  deb: { depends: string[] };
  mac: {
    target: string[];
    icon: string;
    entitlements: string;
    entitlementsInherit: string;
    hardenedRuntime: boolean;
    fileAssociations: Association[];
  };
  win: { target: string[]; icon: string };
  nsis: { oneClick: boolean; perMachine: boolean };
  electronFuses: Record<string, boolean>;
}

async function loadConfig(): Promise<BuilderConfig> {
  const { getConfig, validateConfiguration } =
    require('app-builder-lib/out/util/config/config') as {
      getConfig: (dir: string, path: string | null, extra: null) => Promise<unknown>;
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
  const { DebugLogger } = require('builder-util') as {
    DebugLogger: new (enabled: boolean) => unknown;
  };
  const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  return config as BuilderConfig;
}

function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(loadConfig()).resolves.toBeTruthy();
  });

  it('builds AppImage + deb, dmg + zip and a per-machine NSIS installer', async () => {
    const c = await loadConfig();
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.mac.target).toEqual(['dmg', 'zip']);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(c.deb.depends).toContain('libsecret-1-0');
    expect(c.linux.maintainer).toMatch(/<.+@.+>/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      homepage?: string;
      scripts: Record<string, string>;
    };
    expect(pkg.homepage).toMatch(/^https:\/\//); // the deb target fails without it
    expect(pkg.scripts.dist).toContain('electron-builder');
    expect(c.asar).toBe(true);
    expect(c.electronFuses).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableNodeCliInspectArguments: false,
    });
  });

  it('associates profiles and Go traces, with .pb.gz only where the OS can tell it from .gz', async () => {
    const c = await loadConfig();
    const common = c.fileAssociations.map((a) => a.ext);
    expect(common).toEqual(['pprof', 'prof', 'trace']);
    expect(c.fileAssociations.find((a) => a.ext === 'trace')!.rank).toBe('Alternate');
    expect(c.linux.fileAssociations.map((a) => a.ext)).toEqual(['pb.gz']);
    expect(c.mac.fileAssociations.map((a) => a.ext)).toEqual(['pb.gz']);
    // Linux needs a MIME type per association to write its glob.
    for (const a of [...c.fileAssociations, ...c.linux.fileAssociations])
      expect(a.mimeType).toMatch(/^application\//);
  });

  it('points at resources that exist', async () => {
    const c = await loadConfig();
    const res = (p: string) => resolve(ROOT, p);
    expect(existsSync(res(c.mac.entitlements))).toBe(true);
    expect(readFileSync(res(c.mac.entitlements), 'utf8')).toContain(
      'com.apple.security.cs.allow-jit',
    );
    expect(existsSync(res(c.mac.icon))).toBe(true);
    expect(readFileSync(res(c.mac.icon)).subarray(0, 4).toString('ascii')).toBe('icns');
    const ico = readFileSync(res(c.win.icon));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(6);
    for (const s of [16, 32, 48, 64, 128, 256, 512])
      expect(pngSize(join(res(c.linux.icon), `${s}x${s}.png`))).toEqual([s, s]);
    expect(pngSize(join(ROOT, c.directories.buildResources, 'icon.png'))).toEqual([1024, 1024]);
    const demo = c.extraResources.find((r) => r.to === 'demo')!;
    expect(existsSync(join(res(demo.from), 'manifest.json'))).toBe(true);
  });
});
