// The application menu, built from plain actions so it can be tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import { basename } from 'node:path';
import { createI18n } from 'vue-i18n';
import type { ViewName } from '../../core/contract';
import { MESSAGES, type Locale } from '../../core/i18n';

export interface MenuActions {
  open(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  revealLibrary(): void;
  showView(view: ViewName): void;
  about(): void;
  documentation(): void;
}

/** The menu's words in a language, from the UI's catalogs (core/i18n) through vue-i18n. */
export function menuTranslator(locale: Locale): (key: string) => string {
  const i18n = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: MESSAGES,
    missingWarn: false,
    fallbackWarn: false,
  });
  return (key) => i18n.global.t(key);
}

export function viewLabels(t: (key: string) => string): readonly [ViewName, string][] {
  return [
    ['flame', t('menu.views.flame')],
    ['top', t('menu.views.top')],
    ['compare', t('menu.views.compare')],
    ['contention', t('menu.views.contention')],
    ['goroutines', t('menu.views.goroutines')],
    ['timeline', t('menu.views.timeline')],
    ['live', t('menu.views.live')],
    ['gc', t('menu.views.gc')],
    ['insights', t('menu.views.insights')],
  ];
}

export function buildMenuTemplate(
  actions: MenuActions,
  recentFiles: string[],
  platform: string,
  devTools: boolean,
  locale: Locale = 'en',
): MenuItemConstructorOptions[] {
  const t = menuTranslator(locale);
  const mac = platform === 'darwin';
  const recent: MenuItemConstructorOptions[] =
    recentFiles.length === 0
      ? [{ label: t('menu.noRecent'), enabled: false }]
      : [
          ...recentFiles.map((p): MenuItemConstructorOptions => ({
            label: basename(p),
            sublabel: p,
            toolTip: p,
            click: () => actions.openRecent(p),
          })),
          { type: 'separator' },
          { label: t('menu.clearRecent'), click: () => actions.clearRecent() },
        ];
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push({
    label: t('menu.file'),
    submenu: [
      { label: t('menu.open'), accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: t('menu.openRecent'), submenu: recent },
      { type: 'separator' },
      {
        label: mac ? t('menu.revealLibraryMac') : t('menu.revealLibrary'),
        click: () => actions.revealLibrary(),
      },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: t('menu.quit') },
    ],
  });
  template.push({ role: 'editMenu' });
  template.push({
    label: t('menu.view'),
    submenu: [
      ...viewLabels(t).map(([view, label], i): MenuItemConstructorOptions => ({
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
      { label: t('menu.about'), click: () => actions.about() },
      { label: t('menu.documentation'), click: () => actions.documentation() },
    ],
  });
  return template;
}
