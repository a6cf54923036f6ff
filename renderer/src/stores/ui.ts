// Theme and the active tab. The theme preference lives in the back end's settings so the
// desktop menu and every window agree; 'system' follows prefers-color-scheme.
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { Language, Theme } from '../../../core/contract';
import type { ThemeName } from '../charts/palette';
import { useApi } from '../api';
import { applyLanguage, t } from '../i18n';

export const useUiStore = defineStore('ui', () => {
  const themePref = ref<Theme>('system');
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const systemDark = ref(media.matches);
  media.addEventListener('change', (e) => (systemDark.value = e.matches));
  const theme = computed<ThemeName>(() =>
    themePref.value === 'system' ? (systemDark.value ? 'dark' : 'light') : themePref.value,
  );
  watch(theme, (t) => (document.documentElement.dataset.theme = t), { immediate: true });

  const activeTab = ref('flame');
  /** The tab the user last picked; a newly selected snapshot opens in it when it can. */
  const preferredTab = ref('flame');

  /** A tab choice by the user (click, shortcut, menu), as opposed to an automatic switch. */
  function pickTab(id: string): void {
    activeTab.value = id;
    preferredTab.value = id;
  }
  const notice = ref('');

  const languagePref = ref<Language>('auto');
  watch(languagePref, (l) => applyLanguage(l), { immediate: true });

  async function load(): Promise<void> {
    const api = useApi();
    const r = await api.getSettings();
    if (r.ok) {
      themePref.value = r.value.theme;
      languagePref.value = r.value.language;
    }
    api.subscribe('settings.changed', (e) => {
      themePref.value = e.settings.theme;
      languagePref.value = e.settings.language;
    });
  }

  async function setTheme(next: Theme): Promise<void> {
    themePref.value = next;
    const r = await useApi().updateSettings({ theme: next });
    if (!r.ok) notice.value = t('theme.saveFailed', { error: r.error.message });
  }

  async function setLanguage(l: Language): Promise<void> {
    languagePref.value = l;
    const r = await useApi().updateSettings({ language: l });
    if (!r.ok) notice.value = t('language.saveFailed', { error: r.error.message });
  }

  return {
    themePref,
    systemDark,
    theme,
    activeTab,
    preferredTab,
    notice,
    load,
    setTheme,
    languagePref,
    setLanguage,
    pickTab,
  };
});
