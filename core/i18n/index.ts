// The UI languages: the catalogs and how a language preference picks one. Data only: the
// renderer and the desktop menu hand these catalogs to vue-i18n.
import { en, type Messages } from './en';
import { zhCN } from './zh-CN';

export { en, zhCN, type Messages };

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export const MESSAGES: Record<Locale, Messages> = { en, 'zh-CN': zhCN };

/**
 * The language to show: a stored choice wins; 'auto' follows the first system or browser
 * language, where any zh-* (zh, zh-CN, zh-Hans-CN, zh-TW…) gives Chinese and anything else
 * English.
 */
export function resolveLocale(
  preference: 'auto' | Locale,
  systemLanguages: readonly string[],
): Locale {
  if (preference !== 'auto') return preference;
  const first = systemLanguages.find((l) => l.trim() !== '');
  return first !== undefined && /^zh(?:[-_]|$)/i.test(first.trim()) ? 'zh-CN' : 'en';
}
