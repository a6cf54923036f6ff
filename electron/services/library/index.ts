// The snapshot library service (no Electron import: used by the app, serve mode and the CLI).
export {
  Library,
  TRASH_DIR,
  sha256Hex,
  type LibraryEvent,
  type LibraryOptions,
  type StoreInput,
} from './library';
export { detectSnapshot, extensionFor, kindHintFromName, type Detected } from './detect';
export { seedDemo, parseManifest, SEED_MARKER, type SeedResult, type DemoEntry } from './seed';
