// The two catalogs have the same keys, the same placeholders per key, no empty message, and
// no key that nothing uses; and every key the code names exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import { LOCALES, MESSAGES, resolveLocale } from '../../../core/i18n';

const root = resolve(__dirname, '../../..');

function leaves(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v as object, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (msg: string): string[] =>
  [...new Set([...msg.matchAll(/\{\s*([A-Za-z_][\w]*)\s*\}/g)].map((m) => m[1] ?? ''))].sort();

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.(ts|vue)$/.test(name)) yield p;
  }
}

/** Every key the renderer and the Electron glue name: t('…') calls and <i18n-t keypath>. */
function namedKeys(): Set<string> {
  const out = new Set<string>();
  for (const dir of ['renderer/src', 'electron/main'])
    for (const file of sources(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*['"`]([\w.]+)['"`]|keypath="([\w.]+)"/g))
        out.add((m[1] ?? m[2])!);
    }
  return out;
}

describe('UI catalogs', () => {
  const en = leaves(MESSAGES.en);
  const zh = leaves(MESSAGES['zh-CN']);

  it('have the same keys in English and Chinese', () => {
    expect(en.size).toBeGreaterThan(50);
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('have the same placeholders in both languages, and no empty message', () => {
    for (const [key, msg] of en) {
      const other = zh.get(key) ?? '';
      expect(msg.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(placeholders(other), key).toEqual(placeholders(msg));
    }
  });

  it('compile and render every message in vue-i18n, placeholders filled', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (const locale of LOCALES) {
        const i18n = createI18n({ legacy: false, locale, messages: MESSAGES });
        for (const [key, msg] of leaves(MESSAGES[locale])) {
          const params = Object.fromEntries(placeholders(msg).map((p) => [p, `<${p}>`]));
          const out = i18n.global.t(key, params);
          expect(out, `${locale} ${key}`).not.toBe(key);
          expect(out, `${locale} ${key}`).not.toMatch(/\{\s*\w+\s*\}/);
          for (const p of Object.keys(params)) expect(out, `${locale} ${key}`).toContain(`<${p}>`);
        }
      }
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('have no unused key, and every key the code names exists', () => {
    const named = namedKeys();
    const unused = [...en.keys()].filter((k) => !named.has(k));
    expect(unused).toEqual([]);
    expect(named.size).toBeGreaterThan(50);
    const missing = [...named].filter((k) => !en.has(k));
    expect(missing).toEqual([]);
  });

  it('translate the Chinese UI terms of docs/glossary.md', () => {
    const glossary = readFileSync(join(root, 'docs/glossary.md'), 'utf8');
    for (const term of ['火焰图', '快照', '对比', '锁竞争']) expect(glossary).toContain(term);
    expect(zh.get('tabs.flame')).toBe('火焰图');
    expect(zh.get('tabs.compare')).toBe('对比');
    expect(zh.get('tabs.contention')).toBe('锁竞争');
  });
});

describe('resolveLocale', () => {
  it('gives Chinese for any zh-* system language with auto, and English otherwise', () => {
    expect(resolveLocale('auto', ['zh-CN', 'en-US'])).toBe('zh-CN');
    expect(resolveLocale('auto', ['zh'])).toBe('zh-CN');
    expect(resolveLocale('auto', ['zh-Hans-CN'])).toBe('zh-CN');
    expect(resolveLocale('auto', ['zh_TW'])).toBe('zh-CN');
    expect(resolveLocale('auto', ['en-US', 'zh-CN'])).toBe('en');
    expect(resolveLocale('auto', ['de-DE'])).toBe('en');
    expect(resolveLocale('auto', ['zhx'])).toBe('en');
    expect(resolveLocale('auto', [])).toBe('en');
  });

  it('lets a stored choice win over the system', () => {
    expect(resolveLocale('en', ['zh-CN'])).toBe('en');
    expect(resolveLocale('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(LOCALES).toEqual(['en', 'zh-CN']);
  });
});
