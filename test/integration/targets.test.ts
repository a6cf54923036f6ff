// The Go target itself: live server (index, heap, auth, prefix, TLS, misbehaving endpoints)
// and write mode (every file, formats, the documented goroutine leak).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TARGET_FACTS,
  WRITTEN_FILES,
  buildTarget,
  findGo,
  generateCerts,
  startForwarder,
  startTarget,
  writeProfiles,
  type RunningTarget,
  type WrittenFile,
} from '../helpers/go-target';

const GZIP_MAGIC = [0x1f, 0x8b];

function isGzip(b: Uint8Array): boolean {
  return b.length > 2 && b[0] === GZIP_MAGIC[0] && b[1] === GZIP_MAGIC[1];
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Counts top-level fields of a profile.proto message by number (2 = sample, 6 = string). */
function topLevelFields(profile: Uint8Array): Map<number, number> {
  const counts = new Map<number, number>();
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= profile.length) throw new Error('truncated varint');
      const b = profile[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < profile.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    counts.set(field, (counts.get(field) ?? 0) + 1);
    if (wire === 0) varint();
    else if (wire === 2) {
      const len = varint(); // read before adding: `pos += varint()` would use the old pos
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return counts;
}

function sampleCount(gz: Uint8Array): number {
  return topLevelFields(gunzipSync(gz)).get(2) ?? 0;
}

async function fetchBytes(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Uint8Array; res: Response }> {
  const res = await fetch(url, init);
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()), res };
}

beforeAll(async () => {
  findGo(); // a clear error when Go is missing
  await buildTarget();
});

describe('live server', () => {
  let target: RunningTarget;
  beforeAll(async () => {
    target = await startTarget({ mode: 'before' });
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('serves the pprof index and a gzipped heap profile', async () => {
    expect(target.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const index = await fetch(`${target.pprofUrl}/`);
    expect(index.status).toBe(200);
    const html = await index.text();
    for (const name of [
      'allocs',
      'block',
      'goroutine',
      'heap',
      'mutex',
      'profile',
      'threadcreate',
      'trace',
    ]) {
      expect(html).toContain(`href='${name}?debug=1'`);
    }
    const heap = await fetchBytes(`${target.pprofUrl}/heap`);
    expect(heap.status).toBe(200);
    expect(isGzip(heap.body)).toBe(true);
    expect(sampleCount(heap.body)).toBeGreaterThan(0);
  });

  it('shows the documented leak in a live goroutine dump', async () => {
    const dump = await (await fetch(`${target.pprofUrl}/goroutine?debug=2`)).text();
    expect(count(dump, `${TARGET_FACTS.leakFunction}(`)).toBe(TARGET_FACTS.leakedGoroutines);
    expect(count(dump, `[${TARGET_FACTS.leakState}]:\n${TARGET_FACTS.leakFunction}(`)).toBe(
      TARGET_FACTS.leakedGoroutines,
    );
    const info = (await (await fetch(`${target.baseUrl}/info`)).json()) as Record<string, unknown>;
    expect(info.mode).toBe('before');
    expect(info.leakedGoroutines).toBe(TARGET_FACTS.leakedGoroutines);
  });

  it('answers like a broken proxy on /html/ and /truncated/', async () => {
    const html = await fetch(`${target.baseUrl}/html/heap`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<!DOCTYPE html>');

    const truncated = await fetchBytes(`${target.baseUrl}/truncated/heap`);
    expect(truncated.status).toBe(200);
    expect(isGzip(truncated.body)).toBe(true);
    expect(() => gunzipSync(truncated.body)).toThrow();
  });

  it('trickles bytes on /slow/', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${target.baseUrl}/slow/heap?bps=1`, { signal: ctl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.value?.[0]).toBe(0x1f);
    ctl.abort();
    await reader.cancel().catch(() => undefined);
  });

  it('reports X-Go-Pprof errors from net/http/pprof', async () => {
    const res = await fetch(`${target.pprofUrl}/heap?seconds=1&debug=1`);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-go-pprof')).toBe('1');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});

describe('auth, prefix and TLS', () => {
  it('requires the bearer token on the pprof endpoints only', async () => {
    const target = await startTarget({ mode: 'after', token: 's3cret' });
    try {
      expect((await fetch(`${target.pprofUrl}/heap`)).status).toBe(401);
      const wrong = await fetch(`${target.pprofUrl}/heap`, {
        headers: { Authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const ok = await fetchBytes(`${target.pprofUrl}/heap`, {
        headers: { Authorization: 'Bearer s3cret' },
      });
      expect(ok.status).toBe(200);
      expect(isGzip(ok.body)).toBe(true);
      expect((await fetch(`${target.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await target.stop();
    }
  });

  it('mounts pprof under another prefix and 404s the default one', async () => {
    const target = await startTarget({ mode: 'after', prefix: '/internal/pprof' });
    try {
      expect(target.pprofUrl).toBe(`${target.baseUrl}/internal/pprof`);
      const heap = await fetchBytes(`${target.pprofUrl}/heap`);
      expect(heap.status).toBe(200);
      expect(isGzip(heap.body)).toBe(true);
      expect((await fetch(`${target.baseUrl}/debug/pprof/heap`)).status).toBe(404);
    } finally {
      await target.stop();
    }
  });

  it('serves HTTPS with a certificate from a custom CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-certs-'));
    try {
      const certs = await generateCerts(dir);
      const target = await startTarget({ mode: 'after', tlsCert: certs.cert, tlsKey: certs.key });
      try {
        expect(target.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<Buffer>((resolve, reject) => {
          httpsGet(`${target.pprofUrl}/heap`, { ca: readFileSync(certs.ca) }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve(Buffer.concat(chunks)));
            res.on('error', reject);
          }).on('error', reject);
        });
        expect(isGzip(body)).toBe(true);
        // Without the CA the certificate is rejected.
        await expect(fetch(`${target.pprofUrl}/heap`)).rejects.toThrow();
      } finally {
        await target.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forwards TCP like a tunnel command, and stops forwarding when killed', async () => {
    const target = await startTarget({ mode: 'after' });
    try {
      const forwarder = await startForwarder(new URL(target.baseUrl).host);
      expect(forwarder.addr).toMatch(/^127\.0\.0\.1:\d+$/);
      const heap = await fetchBytes(`http://${forwarder.addr}/debug/pprof/heap`);
      expect(heap.status).toBe(200);
      expect(isGzip(heap.body)).toBe(true);
      await forwarder.stop();
      await expect(fetch(`http://${forwarder.addr}/debug/pprof/heap`)).rejects.toThrow();
    } finally {
      await target.stop();
    }
  });

  it('exits by itself after -max-lifetime', async () => {
    const target = await startTarget({ mode: 'after', extraArgs: ['-max-lifetime', '1s'] });
    const code = await Promise.race([
      target.exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000)),
    ]);
    await target.stop();
    expect(code).toBe(0);
  });
});

describe('write mode', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const mode of ['before', 'after'] as const) {
    it(`writes every profile, the dumps and a trace (${mode})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `orders-${mode}-`));
      dirs.push(dir);
      // "after" also stops the tracer early, which must still leave a complete trace.
      // In "before" every order parses the schema again, so main.scoreFraud is about a tenth
      // of the CPU: 1 s on a loaded CI box (the CPU the process gets, not the wall time) once
      // left it without a single 10 ms sample. Run long enough for it to be seen.
      const out = await writeProfiles(dir, {
        mode,
        duration: mode === 'before' ? '3s' : '1s',
        traceFor: mode === 'after' ? '500ms' : undefined,
      });
      expect(out.summary).toContain(`mode=${mode}`);
      for (const f of WRITTEN_FILES) {
        const bytes = readFileSync(out.files[f]);
        expect(bytes.length, f).toBeGreaterThan(0);
        if (f.endsWith('.pb.gz')) {
          expect(isGzip(bytes), f).toBe(true);
          expect(() => gunzipSync(bytes), f).not.toThrow();
        }
      }
      const head = readFileSync(out.files['trace.out']).subarray(0, 16).toString('latin1');
      expect(head.startsWith('go 1.')).toBe(true);
      expect(head).toContain('trace');

      const dump = readFileSync(out.files['goroutine-debug2.txt'], 'utf8');
      const leaked = mode === 'before' ? TARGET_FACTS.leakedGoroutines : 0;
      expect(count(dump, `${TARGET_FACTS.leakFunction}(`)).toBe(leaked);
      expect(count(dump, `\n${TARGET_FACTS.workerFunction}(`)).toBe(TARGET_FACTS.workers);

      // The contention rates are set, so both profiles have samples in "before".
      const strings = (f: WrittenFile) => gunzipSync(readFileSync(out.files[f])).toString('latin1');
      if (mode === 'before') {
        expect(sampleCount(readFileSync(out.files['mutex.pb.gz']))).toBeGreaterThan(0);
        expect(strings('mutex.pb.gz')).toContain(TARGET_FACTS.mutexContended);
        expect(strings('block.pb.gz')).toContain(TARGET_FACTS.blockContended);
        expect(strings('cpu.pb.gz')).toContain('main.parseSchema');
      }
      expect(strings('cpu.pb.gz')).toContain(TARGET_FACTS.cpuCommon);
      expect(sampleCount(readFileSync(out.files['goroutine.pb.gz']))).toBeGreaterThan(0);
    });
  }

  it('leaves mutex and block profiles empty without the contention rates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orders-norates-'));
    dirs.push(dir);
    const out = await writeProfiles(dir, {
      mode: 'before',
      duration: '500ms',
      noContentionRates: true,
    });
    expect(sampleCount(readFileSync(out.files['mutex.pb.gz']))).toBe(0);
    expect(sampleCount(readFileSync(out.files['block.pb.gz']))).toBe(0);
    expect(sampleCount(readFileSync(out.files['heap.pb.gz']))).toBeGreaterThan(0);
  });
});
