// The snapshot library against real Go output and real crashes:
//  - every profile kind written by a Go program is recognised from its bytes;
//  - a writer process killed with SIGKILL in the middle of its writes leaves a library that
//    opens with no corrupted entry, every listed entry's bytes matching its sha256, and every
//    import the writer had acknowledged still there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Library } from '../../electron/services/library';

const ROOT = resolve(__dirname, '../..');
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'pprof-lib-int-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GO_PROGRAM = `package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

var sink [][]byte

func burn(d time.Duration) int {
	end := time.Now().Add(d)
	x := 0
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x += i * i
		}
	}
	return x
}

func contend() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				mu.Lock()
				time.Sleep(10 * time.Microsecond)
				mu.Unlock()
			}
		}()
	}
	go func() { time.Sleep(5 * time.Millisecond); ch <- 1 }()
	<-ch
	wg.Wait()
}

func write(dir, name string, f func(*bytes.Buffer)) {
	var b bytes.Buffer
	f(&b)
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		panic(err)
	}
}

func main() {
	dir := os.Args[1]
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)
	runtime.MemProfileRate = 512
	write(dir, "cpu", func(b *bytes.Buffer) {
		pprof.StartCPUProfile(b)
		burn(300 * time.Millisecond)
		for i := 0; i < 1000; i++ {
			sink = append(sink, make([]byte, 1024))
		}
		pprof.StopCPUProfile()
	})
	contend()
	for _, k := range []string{"heap", "allocs", "goroutine", "mutex", "block", "threadcreate"} {
		k := k
		write(dir, k, func(b *bytes.Buffer) { pprof.Lookup(k).WriteTo(b, 0) })
	}
	write(dir, "goroutine-debug1", func(b *bytes.Buffer) { pprof.Lookup("goroutine").WriteTo(b, 1) })
	write(dir, "goroutine-debug2", func(b *bytes.Buffer) { pprof.Lookup("goroutine").WriteTo(b, 2) })
	write(dir, "trace", func(b *bytes.Buffer) {
		trace.Start(b)
		contend()
		burn(20 * time.Millisecond)
		trace.Stop()
	})
}
`;

function requireGo(): void {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error('Go is required for this test (https://go.dev/dl): `go version` failed');
}

describe('library on real Go profiles', () => {
  it('recognises every kind Go writes, from the bytes alone', async () => {
    requireGo();
    const src = join(work, 'kinds');
    const out = join(work, 'kinds-out');
    for (const d of [src, out]) spawnSync('mkdir', ['-p', d]);
    writeFileSync(join(src, 'main.go'), GO_PROGRAM);
    writeFileSync(join(src, 'go.mod'), 'module kinds\n\ngo 1.22\n');
    const run = spawnSync('go', ['run', '.', out], {
      cwd: src,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);

    const lib = await Library.open(join(work, 'kinds-lib'));
    const expected: Record<string, string> = {
      cpu: 'cpu',
      heap: 'heap',
      allocs: 'allocs',
      goroutine: 'goroutine',
      mutex: 'mutex',
      block: 'block',
      threadcreate: 'threadcreate',
      'goroutine-debug1': 'goroutine-text',
      'goroutine-debug2': 'goroutine-text',
      trace: 'trace',
    };
    const got: Record<string, string> = {};
    for (const name of readdirSync(out)) {
      // File names carry no hint ("cpu" etc. are bare names without extension, and the
      // detection is given an opaque name), so the bytes alone decide.
      const r = await lib.import({
        bytes: readFileSync(join(out, name)),
        fileName: 'upload',
        source: { type: 'upload' },
      });
      got[name] = r.snapshot.kind;
    }
    expect(got).toEqual(expected);
  });
});

// The writer: imports distinct, fairly large, valid profiles in a loop and renames, notes,
// trashes and restores some of them, printing each acknowledged write.
const WRITER = `
import { readFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import { Library } from './electron/services/library';

function variant(base: Uint8Array, i: number): Uint8Array {
  // A valid profile with one extra string-table entry (field 6) of varying size.
  const extra = Buffer.from('variant-' + i + '-' + 'x'.repeat(50_000 + (i % 7) * 150_000));
  const len: number[] = [];
  let n = extra.length;
  while (n >= 0x80) { len.push((n & 0x7f) | 0x80); n >>>= 7; }
  len.push(n);
  const out = Buffer.concat([Buffer.from(base), Buffer.from([0x32, ...len]), extra]);
  return i % 2 === 0 ? gzipSync(out, { level: 1 }) : out;
}

async function main() {
  const [dir, profilePath, startStr] = process.argv.slice(2);
  const base = gunzipSync(readFileSync(profilePath));
  const lib = await Library.open(dir);
  const emit = (line: string) => process.stdout.write(line + '\\n');
  for (let i = Number(startStr); i < Number(startStr) + 10_000; i++) {
    const r = await lib.import({ bytes: variant(base, i), fileName: 'v' + i + '.pb.gz', source: { type: 'upload' } });
    emit('stored ' + r.snapshot.id + ' ' + r.snapshot.sha256);
    if (i % 3 === 0) { await lib.rename(r.snapshot.id, 'renamed ' + i); emit('renamed ' + r.snapshot.id); }
    if (i % 4 === 0) { await lib.setNote(r.snapshot.id, 'note '.repeat(200)); emit('noted ' + r.snapshot.id); }
    if (i % 5 === 0) { await lib.trash(r.snapshot.id); emit('trashed ' + r.snapshot.id); }
    if (i % 10 === 0) { await lib.restore(r.snapshot.id); emit('restored ' + r.snapshot.id); }
  }
}
main().catch((e) => { process.stderr.write(String(e) + '\\n'); process.exit(3); });
`;

function startWriter(bundle: string, dir: string, profile: string, start: number): ChildProcess {
  return spawn(process.execPath, [bundle, dir, profile, String(start)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves after `lines` acknowledged stores, collecting every acknowledged line. */
function waitForStores(child: ChildProcess, lines: number, acked: string[]): Promise<void> {
  return new Promise((resolveWait, reject) => {
    let stores = 0;
    let buf = '';
    let stderr = '';
    const timer = setTimeout(
      () => reject(new Error(`writer made ${stores} stores in 120 s: ${stderr}`)),
      120_000,
    );
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const line of parts) {
        acked.push(line);
        if (line.startsWith('stored ') && ++stores === lines) {
          clearTimeout(timer);
          resolveWait();
        }
      }
    });
    child.on('exit', (code) => {
      if (stores < lines) {
        clearTimeout(timer);
        reject(new Error(`writer exited with ${code} after ${stores} stores: ${stderr}`));
      }
    });
  });
}

describe('library after SIGKILL during writes', () => {
  it('opens with no corrupted entry and keeps every acknowledged write', async () => {
    const bundle = join(work, 'writer.cjs');
    await build({
      stdin: { contents: WRITER, resolveDir: ROOT, loader: 'ts', sourcefile: 'writer.ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: bundle,
      logLevel: 'silent',
    });
    const profile = join(ROOT, 'resources', 'demo', 'orders-before-cpu.pb.gz');
    const dir = join(work, 'killed-lib');
    const acked: string[] = [];
    // Several kills at different points of the write cycle (import, rename, note, trash).
    const killAfter = [7, 11, 5, 13];
    let start = 0;
    for (const n of killAfter) {
      const child = startWriter(bundle, dir, profile, start);
      const exited = new Promise<NodeJS.Signals | null>((r) =>
        child.on('exit', (_c, sig) => r(sig)),
      );
      await waitForStores(child, n, acked);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      start += 1000;
    }

    const lib = await Library.open(dir);
    const listed = [...lib.list(), ...lib.list(true)];
    expect(listed.length).toBeGreaterThanOrEqual(killAfter.reduce((a, b) => a + b, 0));
    for (const meta of listed) {
      const folder = meta.trashedAt ? join(dir, 'trash') : dir;
      const file = readdirSync(folder).find(
        (f) => f.startsWith(`${meta.id}.`) && !f.endsWith('.json'),
      )!;
      const bytes = readFileSync(join(folder, file));
      expect(bytes.length).toBe(meta.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(meta.sha256);
      expect(Buffer.from(await lib.readBytes(meta.id)).equals(bytes)).toBe(true);
    }
    // Every store the writer acknowledged survived, with the same bytes.
    const byId = new Map(listed.map((m) => [m.id, m]));
    for (const line of acked.filter((l) => l.startsWith('stored '))) {
      const [, id, sha] = line.split(' ');
      expect(byId.get(id!)?.sha256).toBe(sha);
    }
    // A completed rename is durable too.
    for (const line of acked.filter((l) => l.startsWith('renamed '))) {
      expect(byId.get(line.split(' ')[1])?.name).toMatch(/^renamed \d+$/);
    }
    // What an interrupted write left behind is reported, not listed, and never deleted.
    for (const p of lib.info().problems) {
      expect(p.reason).toMatch(/interrupted/);
      const path = join(dir, p.file);
      expect(readdirSync(join(path, '..'))).toContain(p.file.split('/').pop());
    }
  });
});
