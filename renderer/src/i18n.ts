// The UI's vue-i18n instance over core/i18n's catalogs. The language follows the stored
// choice (settings.language), and with 'auto' the browser's languages: zh-* gives Chinese.
import { createI18n } from 'vue-i18n';
import { MESSAGES, resolveLocale, type Locale } from '../../core/i18n';
import type { Language } from '../../core/contract';

export const i18n = createI18n({
  legacy: false,
  locale: resolveLocale('auto', navigator.languages ?? [navigator.language]),
  fallbackLocale: 'en',
  messages: MESSAGES,
  // A missing key is a bug the catalog test catches; never print a warning per render.
  missingWarn: false,
  fallbackWarn: false,
});

/** Applies a language preference; returns the locale shown. */
export function applyLanguage(pref: Language): Locale {
  const locale = resolveLocale(pref, navigator.languages ?? [navigator.language]);
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  return locale;
}

/** Translation outside components (stores, composables). */
export const t = i18n.global.t;
