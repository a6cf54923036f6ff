// The application menu, built from plain actions so it can be tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import type { ViewName } from '../../core/contract';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  revealLibrary(): void;
  showView(view: ViewName): void;
  about(): void;
  documentation(): void;
}

export const VIEW_LABELS: readonly [ViewName, string][] = [
  ['flame', 'Flame Graph'],
  ['top', 'Top'],
  ['compare', 'Compare'],
  ['contention', 'Contention'],
  ['goroutines', 'Goroutines'],
  ['timeline', 'Timeline'],
  ['live', 'Live'],
  ['gc', 'GC log'],
  ['insights', 'Insights'],
];

export function buildMenuTemplate(
  actions: MenuActions,
  recentFiles: string[],
  platform: string,
  devTools: boolean,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const recent: MenuItemConstructorOptions[] =
    recentFiles.length === 0
      ? [{ label: 'No Recent Files', enabled: false }]
      : [
          ...recentFiles.map((p): MenuItemConstructorOptions => ({
            label: basename(p),
            sublabel: p,
            toolTip: p,
            click: () => actions.openRecent(p),
          })),
          { type: 'separator' },
          { label: 'Clear Recent', click: () => actions.clearRecent() },
        ];
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push({
    label: 'File',
    submenu: [
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      {
        label: mac ? 'Reveal Library in Finder' : 'Reveal Library',
        click: () => actions.revealLibrary(),
      },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
      ...VIEW_LABELS.map(([view, label], i): MenuItemConstructorOptions => ({
        label,
        accelerator: `CmdOrCtrl+${i + 1}`,
        click: () => actions.showView(view),
      })),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'togglefullscreen' },
      ...(devTools
        ? [
            { type: 'separator' as const },
            { role: 'reload' as const },
            { role: 'toggleDevTools' as const },
          ]
        : []),
    ],
  });
  template.push({
    role: 'help',
    submenu: [
      { label: 'About pprof Studio', click: () => actions.about() },
      { label: 'Documentation', click: () => actions.documentation() },
    ],
  });
  return template;
}
