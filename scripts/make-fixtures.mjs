// Regenerates test/fixtures/ and resources/demo/ from real runs of the Go target
// test/targets/orders (`npm run fixtures`). Nothing here is hand-written: every profile and
// trace is what the program wrote. See test/targets/README.md for what the runs contain.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const targetsDir = join(root, 'test', 'targets');
const fixturesDir = join(root, 'test', 'fixtures');
const demoDir = join(root, 'resources', 'demo');

// The profiles cover DURATION; the tracer stops after TRACE_FOR so the committed traces stay
// small. The rate is high enough that both modes process dozens of orders.
const DURATION = '4s';
const TRACE_FOR = '1500ms';
const RATE = '20';
const LEAKED = 37;
// Below this many orders in DURATION the machine was too busy for representative profiles.
const MIN_ORDERS = 40;
const LEAK_FRAME = 'main.(*notifier).awaitAck(';

const PROFILE_FILES = [
  'cpu.pb.gz',
  'heap.pb.gz',
  'allocs.pb.gz',
  'mutex.pb.gz',
  'block.pb.gz',
  'goroutine.pb.gz',
  'threadcreate.pb.gz',
];
const ALL_FILES = [...PROFILE_FILES, 'goroutine-debug1.txt', 'goroutine-debug2.txt', 'trace.out'];

const DEMO_KINDS = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block'];
const DEMO_NOTES = {
  cpu: {
    before:
      'CPU 4 s: the catalog schema is re-parsed for every order (main.parseSchema) and prices are computed with string formatting (main.unitPriceNaive).',
    after:
      'CPU 4 s after the fix: schema parsed once, integer pricing; main.scoreFraud is the unchanged remainder.',
  },
  heap: {
    before: 'Heap in use: the receipt cache keeps every 64 KiB receipt (main.renderReceipt).',
    after: 'Heap in use after the fix: the receipt cache keeps the last 4 receipts.',
  },
  allocs: {
    before:
      'Allocations: schema re-parsing, fmt.Sprintf in pricing and per-line objects (main.buildLineItems).',
    after: 'Allocations after the fix: pooled line items, no per-order parse.',
  },
  goroutine: {
    before: `Goroutines: ${LEAKED} leaked waiters blocked in main.(*notifier).awaitAck (outbox replay).`,
    after: 'Goroutines after the fix: no leaked waiters.',
  },
  mutex: {
    before:
      'Mutex: one global inventory lock held across a slow check and a blocking send, contended in main.(*inventory).reserve.',
    after:
      'Mutex after the fix: the slow stock check runs outside the lock, which is sharded 16 ways.',
  },
  block: {
    before:
      'Block: senders wait on the unbuffered audit channel (main.(*auditLog).record) and on the inventory lock.',
    after: 'Block after the fix: the audit channel is buffered.',
  },
};

function fail(msg) {
  console.error(`make-fixtures: ${msg}`);
  process.exit(1);
}

function findGo() {
  const candidates = [process.env.GO, 'go', '/usr/local/go/bin/go', '/usr/lib/go/bin/go'];
  for (const c of candidates) {
    if (!c) continue;
    try {
      execFileSync(c, ['version'], { stdio: 'pipe' });
      return c;
    } catch {
      // try the next one
    }
  }
  fail('Go is not installed or not on PATH: install Go 1.22 or newer (https://go.dev/dl/).');
}

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
      ...opts,
    });
  } catch (err) {
    fail(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

function checkOutputs(dir, mode) {
  for (const f of ALL_FILES) {
    if (!existsSync(join(dir, f))) fail(`${mode}: ${f} was not written`);
  }
  for (const f of PROFILE_FILES) {
    const b = readFileSync(join(dir, f));
    if (b[0] !== 0x1f || b[1] !== 0x8b) fail(`${mode}: ${f} is not gzip`);
  }
  const dump = readFileSync(join(dir, 'goroutine-debug2.txt'), 'utf8');
  const leaks = dump.split(LEAK_FRAME).length - 1;
  const want = mode === 'before' ? LEAKED : 0;
  if (leaks !== want) fail(`${mode}: ${leaks} leaked goroutines in the dump, expected ${want}`);
  if (
    !readFileSync(join(dir, 'trace.out')).subarray(0, 16).toString('latin1').startsWith('go 1.')
  ) {
    fail(`${mode}: trace.out has no Go trace header`);
  }
}

function writeArgs(dir) {
  return ['-write', dir, '-duration', DURATION, '-trace-for', TRACE_FOR, '-rate', RATE];
}

const go = findGo();
const goVersion = run(go, ['env', 'GOVERSION']).trim();
const work = mkdtempSync(join(tmpdir(), 'pprofstudio-fixtures-'));
try {
  const bin = join(work, process.platform === 'win32' ? 'orders.exe' : 'orders');
  const env = { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '' };
  console.log(`building test/targets/orders with ${goVersion}`);
  run(go, ['build', '-trimpath', '-o', bin, './orders'], { cwd: targetsDir, env });

  const runs = [
    { name: 'before', args: ['-mode', 'before'] },
    { name: 'after', args: ['-mode', 'after'] },
    { name: 'no-rates', args: ['-mode', 'before', '-no-contention-rates'] },
  ];
  const summaries = {};
  for (const r of runs) {
    const out = join(work, r.name);
    // A busy machine starves the run and leaves thin profiles: retry a few times.
    for (let attempt = 1; ; attempt++) {
      rmSync(out, { recursive: true, force: true });
      console.log(`running ${r.name} for ${DURATION}`);
      const stdout = run(bin, [...r.args, ...writeArgs(out)]);
      summaries[r.name] = stdout.trim().replace(out, 'DIR');
      if (r.name !== 'no-rates') checkOutputs(out, r.name);
      const orders = Number(/orders=(\d+)/.exec(stdout)?.[1] ?? 0);
      if (orders >= MIN_ORDERS || r.name === 'no-rates') break;
      if (attempt === 3) {
        console.warn(
          `warning: ${r.name} processed only ${orders} orders (the machine is busy?); the profiles are real but thin, consider re-running`,
        );
        break;
      }
      console.log(`${r.name} processed only ${orders} orders; the machine is busy, retrying`);
    }
  }

  // test/fixtures: every file of the before and after runs; from the run without
  // contention rates only the (empty) mutex and block profiles.
  for (const sub of ['before', 'after', 'no-rates'])
    rmSync(join(fixturesDir, sub), { recursive: true, force: true });
  const fixtureFiles = [];
  for (const mode of ['before', 'after']) {
    mkdirSync(join(fixturesDir, mode), { recursive: true });
    for (const f of ALL_FILES) {
      copyFileSync(join(work, mode, f), join(fixturesDir, mode, f));
      fixtureFiles.push(`${mode}/${f}`);
    }
  }
  mkdirSync(join(fixturesDir, 'no-rates'), { recursive: true });
  for (const f of ['mutex.pb.gz', 'block.pb.gz']) {
    copyFileSync(join(work, 'no-rates', f), join(fixturesDir, 'no-rates', f));
    fixtureFiles.push(`no-rates/${f}`);
  }
  const fixtureManifest = {
    generatedBy: 'npm run fixtures (scripts/make-fixtures.mjs)',
    goVersion,
    target: 'test/targets/orders',
    runs: Object.fromEntries(
      runs.map((r) => [
        r.name,
        {
          args: [...r.args, ...writeArgs('DIR')],
          output: summaries[r.name],
        },
      ]),
    ),
    facts: {
      leakedGoroutinesBefore: LEAKED,
      leakedGoroutinesAfter: 0,
      leakFunction: 'main.(*notifier).awaitAck',
      noRates:
        'no-rates/ holds mutex and block profiles written without SetMutexProfileFraction/SetBlockProfileRate: both have no samples',
    },
    files: fixtureFiles.map((f) => ({ file: f, bytes: statSync(join(fixturesDir, f)).size })),
  };
  writeFileSync(
    join(fixturesDir, 'manifest.json'),
    JSON.stringify(fixtureManifest, null, 2) + '\n',
  );

  // resources/demo: the before/after snapshots the app seeds its library with.
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(demoDir, { recursive: true });
  const demo = [];
  for (const mode of ['before', 'after']) {
    for (const kind of DEMO_KINDS) {
      const file = `orders-${mode}-${kind}.pb.gz`;
      copyFileSync(join(work, mode, `${kind}.pb.gz`), join(demoDir, file));
      demo.push({ file, kind, mode, note: DEMO_NOTES[kind][mode] });
    }
  }
  copyFileSync(join(work, 'before', 'trace.out'), join(demoDir, 'orders-before-trace.out'));
  demo.push({
    file: 'orders-before-trace.out',
    kind: 'trace',
    mode: 'before',
    note: 'Execution trace, first 1.5 s of the run (with CPU samples): GC cycles from schema re-parsing, workers contending on the inventory lock and the audit channel.',
  });
  const demoManifest = {
    generatedBy: 'npm run fixtures (scripts/make-fixtures.mjs)',
    goVersion,
    target: 'orders (test/targets/orders)',
    durationSeconds: Number.parseFloat(DURATION),
    traceSeconds: Number.parseFloat(TRACE_FOR) / 1000,
    snapshots: demo.map((d) => ({ ...d, bytes: statSync(join(demoDir, d.file)).size })),
  };
  writeFileSync(join(demoDir, 'manifest.json'), JSON.stringify(demoManifest, null, 2) + '\n');

  let total = 0;
  for (const dir of [fixturesDir, demoDir]) {
    const walk = (d) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else total += statSync(p).size;
      }
    };
    walk(dir);
  }
  for (const f of fixtureManifest.files) console.log(`  test/fixtures/${f.file}  ${f.bytes} B`);
  for (const d of demoManifest.snapshots) console.log(`  resources/demo/${d.file}  ${d.bytes} B`);
  console.log(
    `wrote ${fixtureFiles.length} fixtures and ${demo.length} demo snapshots (${(total / 1024).toFixed(0)} KiB in all)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
