// The settings service (electron/services/settings) beside the library: both are the app's
// on-disk state.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { obj, str, type Settings } from '../../../core/contract';
import { SettingsStore } from '../../../electron/services/settings';
import { createAppServices } from '../../../electron/services/app-services';
import { DEMO_DIR } from './demo-files';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore', () => {
  it('starts with defaults, saves changes atomically and emits them', async () => {
    const seen: Settings[] = [];
    const s = await SettingsStore.open(file, { emit: (x) => seen.push(x) });
    expect(s.get()).toEqual({
      theme: 'system',
      pollIntervalSeconds: 5,
      recentFiles: [],
      gcStormPerSecond: 2,
      language: 'auto',
    });
    await s.update({ theme: 'dark', pollIntervalSeconds: 10 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      theme: 'dark',
      pollIntervalSeconds: 10,
      recentFiles: [],
      gcStormPerSecond: 2,
      language: 'auto',
    });
    expect(seen.map((x) => x.theme)).toEqual(['dark']);
    expect((await SettingsStore.open(file)).get().pollIntervalSeconds).toBe(10);
  });

  it('keeps the GC storm threshold and resets an invalid one to its default', async () => {
    const s = await SettingsStore.open(file);
    await s.update({ gcStormPerSecond: 8 });
    expect((await SettingsStore.open(file)).get().gcStormPerSecond).toBe(8);
    writeFileSync(file, JSON.stringify({ gcStormPerSecond: 0 }));
    const t = await SettingsStore.open(file);
    expect(t.get().gcStormPerSecond).toBe(2);
    expect(t.problem).toContain('"gcStormPerSecond" was invalid');
  });

  it('keeps the UI language and resets an unknown one to auto', async () => {
    const s = await SettingsStore.open(file);
    await s.update({ language: 'zh-CN' });
    expect((await SettingsStore.open(file)).get().language).toBe('zh-CN');
    writeFileSync(file, JSON.stringify({ language: 'fr' }));
    const t = await SettingsStore.open(file);
    expect(t.get().language).toBe('auto');
    expect(t.problem).toContain('"language" was invalid');
  });

  it('keeps recent files unique, newest first, at most ten', async () => {
    const s = await SettingsStore.open(file);
    for (let i = 0; i < 12; i++) await s.addRecentFile(`/p/${i}.pb.gz`);
    await s.addRecentFile('/p/5.pb.gz');
    const recent = s.get().recentFiles;
    expect(recent).toHaveLength(10);
    expect(recent[0]).toBe('/p/5.pb.gz');
    expect(new Set(recent).size).toBe(10);
  });

  it('resets only the invalid fields of a hand-edited file and keeps foreign sections', async () => {
    writeFileSync(
      file,
      JSON.stringify({ theme: 'purple', pollIntervalSeconds: 30, targets: [{ name: 'orders' }] }),
    );
    const s = await SettingsStore.open(file);
    expect(s.get()).toEqual({
      theme: 'system',
      pollIntervalSeconds: 30,
      recentFiles: [],
      gcStormPerSecond: 2,
      language: 'auto',
    });
    expect(s.problem).toContain('"theme" was invalid');
    expect(s.readSection('targets', obj<{ x: string }>({ x: str() }))).toBeNull();
    await s.update({ theme: 'light' });
    expect(JSON.parse(readFileSync(file, 'utf8')).targets).toEqual([{ name: 'orders' }]);
  });

  it('sets an unparseable file aside instead of overwriting it', async () => {
    writeFileSync(file, '{"theme": "dark"');
    const s = await SettingsStore.open(file);
    expect(s.get().theme).toBe('system');
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe('{"theme": "dark"');
    expect(s.problem).toContain('kept as settings.json.bad');
  });
});

describe('app services', () => {
  it('opens a file from disk into the library and records it as recent', async () => {
    const services = await createAppServices({
      dataDir: dir,
      demoDir: null,
      transport: 'ipc',
      version: '0',
    });
    const path = join(DEMO_DIR, 'orders-before-cpu.pb.gz');
    const r = await services.openFile(path);
    expect(r.snapshot.source).toEqual({ type: 'file', path });
    expect(r.snapshot.name).toBe('orders-before-cpu.pb.gz');
    expect(services.settings.get().recentFiles).toEqual([path]);
    expect((await services.openFile(path)).outcome).toBe('duplicate');
    await expect(services.openFile(join(dir, 'missing.pb.gz'))).rejects.toThrow(/no such file/);
    expect(existsSync(join(dir, 'library'))).toBe(true);
  });
});
