// Checks the import rules of docs/architecture.md ("Import boundaries").
// core/ imports only protobufjs, pako and itself; renderer/ never imports electron/ or Node
// built-ins; electron/services, electron/server and electron/cli never import 'electron';
// only electron/preload touches ipcRenderer; renderer/src/worker never imports
// renderer/src/charts (what a Worker and a chart share is pure, in core/view).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { builtinModules } from 'node:module';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|vue)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}

const importRe =
  /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(importRe)) out.push(m[1] ?? m[2] ?? m[3]);
  return { text, specs: out };
}

function resolvedTop(file, spec) {
  if (!spec.startsWith('.')) return null;
  return relative(root, resolve(dirname(file), spec))
    .split(sep)
    .join('/');
}

const problems = [];
const dirs = ['core', 'renderer', 'electron'];
for (const d of dirs) {
  let files;
  try {
    files = [...walk(join(root, d))];
  } catch {
    continue;
  }
  for (const file of files) {
    const rel = relative(root, file).split(sep).join('/');
    if (rel.endsWith('.test.ts')) continue;
    const { text, specs } = importsOf(file);
    for (const spec of specs) {
      const target = resolvedTop(file, spec);
      const bad = (why) => problems.push(`${rel}: imports '${spec}': ${why}`);
      if (rel.startsWith('core/')) {
        if (target !== null) {
          if (!target.startsWith('core/') && !target.startsWith('proto/'))
            bad('core/ may import only core/, proto/, protobufjs and pako');
        } else if (!/^(protobufjs(\/.*)?|pako)$/.test(spec)) {
          bad('core/ may import only protobufjs and pako');
        }
      }
      if (rel.startsWith('renderer/')) {
        if (builtins.has(spec)) bad('renderer/ never imports Node built-ins');
        if (spec === 'electron' || (target && target.startsWith('electron/')))
          bad('renderer/ never imports electron/');
      }
      if (/^electron\/(services|server|cli)\//.test(rel)) {
        if (spec === 'electron' || spec.startsWith('electron/'))
          bad('no Electron in services/server/cli');
        if (target && (target.startsWith('electron/main') || target.startsWith('electron/preload')))
          bad('services/server/cli never import electron/main or electron/preload');
      }
      if (
        rel.startsWith('renderer/src/worker/') &&
        target &&
        target.startsWith('renderer/src/charts')
      )
        bad('Workers never import renderer/src/charts (pure view logic is in core/view)');
      if (rel.startsWith('electron/main/') && target && target.startsWith('renderer/'))
        bad('electron/main never imports renderer/');
    }
    if (!rel.startsWith('electron/preload/') && /\bipcRenderer\b/.test(text))
      problems.push(`${rel}: uses ipcRenderer outside electron/preload`);
  }
}

if (problems.length > 0) {
  console.error(`import boundaries: ${problems.length} problem(s)`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log('import boundaries: ok');
