// Real profiles for the library tests: the demo snapshots shipped in resources/demo, which
// the fixture generator writes from the Go target in test/targets.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEMO_DIR = resolve(__dirname, '../../../resources/demo');

export interface DemoFile {
  file: string;
  kind: string;
  bytes: Buffer;
}

export function demoFiles(): DemoFile[] {
  const manifest = JSON.parse(readFileSync(join(DEMO_DIR, 'manifest.json'), 'utf8')) as {
    snapshots: { file: string; kind: string }[];
  };
  return manifest.snapshots.map((s) => ({
    file: s.file,
    kind: s.kind,
    bytes: readFileSync(join(DEMO_DIR, s.file)),
  }));
}

export function demoOfKind(kind: string): DemoFile {
  const f = demoFiles().find((d) => d.kind === kind);
  if (!f) throw new Error(`resources/demo has no ${kind} snapshot`);
  return f;
}
