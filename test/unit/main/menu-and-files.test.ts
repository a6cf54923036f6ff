import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { VIEWS } from '../../../core/contract';
import { buildMenuTemplate, type MenuActions } from '../../../electron/main/menu';
import { OpenQueue, filesFromArgv } from '../../../electron/main/open-files';

function actions() {
  const a = {
    open: vi.fn(),
    openRecent: vi.fn(),
    clearRecent: vi.fn(),
    revealLibrary: vi.fn(),
    showView: vi.fn(),
    about: vi.fn(),
    documentation: vi.fn(),
  };
  return a satisfies MenuActions;
}

function find(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const item = items.find((i) => i.label === label);
  if (!item) throw new Error(`no menu item ${label}`);
  return item;
}
const sub = (i: MenuItemConstructorOptions) => i.submenu as MenuItemConstructorOptions[];
const click = (i: MenuItemConstructorOptions) => (i.click as () => void)();

describe('application menu', () => {
  it('has File (Open, Open Recent, Reveal Library, Quit), View (the tabs) and Help', () => {
    const a = actions();
    const t = buildMenuTemplate(a, ['/data/cpu.pb.gz'], 'linux', false);
    const file = sub(find(t, 'File'));
    click(find(file, 'Open…'));
    expect(a.open).toHaveBeenCalled();
    const recent = sub(find(file, 'Open Recent'));
    click(find(recent, 'cpu.pb.gz'));
    expect(a.openRecent).toHaveBeenCalledWith('/data/cpu.pb.gz');
    click(find(recent, 'Clear Recent'));
    expect(a.clearRecent).toHaveBeenCalled();
    click(find(file, 'Reveal Library'));
    expect(a.revealLibrary).toHaveBeenCalled();
    expect(file.some((i) => i.role === 'quit')).toBe(true);

    const view = sub(find(t, 'View'));
    for (const item of view.filter((i) => i.click)) click(item);
    expect(a.showView.mock.calls.map((c) => c[0])).toEqual([...VIEWS]);
    // Every view the menu names is a registered tab (a 'Heap' item once opened nothing: the
    // heap diff is a Compare mode). Read from the registry's source: it loads Vue components.
    const tabsSource = readFileSync(
      new URL('../../../renderer/src/views/tabs.ts', import.meta.url),
      'utf8',
    );
    const tabIds = [...tabsSource.matchAll(/^ {4}id: '([a-z]+)',$/gm)].map((m) => m[1]);
    expect(tabIds.sort()).toEqual([...VIEWS].sort());
    expect(view.some((i) => i.role === 'toggleDevTools')).toBe(false);

    const help = sub(t.find((i) => i.role === 'help')!);
    click(find(help, 'About pprof Studio'));
    click(find(help, 'Documentation'));
    expect(a.about).toHaveBeenCalled();
    expect(a.documentation).toHaveBeenCalled();
  });

  it('shows an empty recent list as disabled and adds the macOS app menu', () => {
    const t = buildMenuTemplate(actions(), [], 'darwin', true);
    expect(t[0].role).toBe('appMenu');
    const recent = sub(find(sub(find(t, 'File')), 'Open Recent'));
    expect(recent).toEqual([{ label: 'No Recent Files', enabled: false }]);
  });

  it('speaks Chinese from the UI catalogs when the UI does, with the same actions', () => {
    const a = actions();
    const t = buildMenuTemplate(a, ['/data/cpu.pb.gz'], 'linux', false, 'zh-CN');
    const file = sub(find(t, '文件'));
    click(find(file, '打开…'));
    expect(a.open).toHaveBeenCalled();
    const recent = sub(find(file, '最近打开'));
    click(find(recent, '清除最近打开'));
    expect(a.clearRecent).toHaveBeenCalled();
    const view = sub(find(t, '视图'));
    expect(view.filter((i) => i.click).map((i) => i.label)).toContain('火焰图');
    for (const item of view.filter((i) => i.click)) click(item);
    expect(a.showView.mock.calls.map((c) => c[0])).toEqual([...VIEWS]);
    const help = sub(t.find((i) => i.role === 'help')!);
    click(find(help, '关于 pprof Studio'));
    expect(a.about).toHaveBeenCalled();
    expect(buildMenuTemplate(actions(), [], 'linux', false, 'zh-CN')).toContainEqual(
      expect.objectContaining({ label: '文件' }),
    );
    expect(sub(find(sub(find(t, '文件')), '最近打开'))[0].label).toBe('cpu.pb.gz');
  });
});

describe('files from the command line', () => {
  it('takes existing files, skipping the executable, the app path and switches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pprof-argv-'));
    try {
      writeFileSync(join(dir, 'cpu.pb.gz'), 'x');
      writeFileSync(join(dir, 'main.js'), 'x');
      const argv = [
        '/usr/bin/electron',
        join(dir, 'main.js'),
        '--data=/x',
        'cpu.pb.gz',
        'missing.pprof',
        dir,
      ];
      expect(filesFromArgv(argv, dir, true)).toEqual([join(dir, 'cpu.pb.gz')]);
      // Packaged: argv[1] is already a user argument.
      expect(filesFromArgv(['/opt/pprof-studio', join(dir, 'cpu.pb.gz')], '/', false)).toEqual([
        join(dir, 'cpu.pb.gz'),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds files until the app is ready, then passes them straight through', () => {
    const q = new OpenQueue();
    q.push('/a');
    q.push('/b');
    const seen: string[] = [];
    q.drainTo((p) => seen.push(p));
    q.push('/c');
    expect(seen).toEqual(['/a', '/b', '/c']);
  });
});
