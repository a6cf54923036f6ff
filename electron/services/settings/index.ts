export { SettingsStore, type SettingsStoreOptions } from './settings-store';
