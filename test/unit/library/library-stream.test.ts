// Library.openReadStream: the stored bytes as a stream, with readBytes' errors and its
// sha256 check (which a stream can only report at the end).
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../core/contract';
import { Library } from '../../../electron/services/library';
import { demoOfKind } from './demo-files';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pprof-lib-stream-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const upload = { type: 'upload' as const };

async function drain(stream: Readable): Promise<{ bytes: Buffer; chunks: number }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return { bytes: Buffer.concat(parts), chunks: parts.length };
}

async function errorOf(p: Promise<unknown>): Promise<ServiceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServiceError) return e;
    throw e;
  }
  throw new Error('expected a ServiceError');
}

async function importTrace(lib: Library) {
  const trace = demoOfKind('trace');
  const r = await lib.import({ bytes: trace.bytes, fileName: trace.file, source: upload });
  return { trace, meta: r.snapshot, file: join(dir, `${r.snapshot.id}.trace`) };
}

describe('Library.openReadStream', () => {
  it('streams exactly the stored bytes, in several chunks, with their size', async () => {
    const lib = await Library.open(dir);
    const { trace, meta, file } = await importTrace(lib);
    expect(readFileSync(file).equals(trace.bytes)).toBe(true);
    const { stream, size } = await lib.openReadStream(meta.id);
    expect(size).toBe(trace.bytes.length);
    const { bytes, chunks } = await drain(stream);
    expect(bytes.equals(trace.bytes)).toBe(true);
    expect(chunks).toBeGreaterThan(1);
  });

  it('streams a trashed snapshot too, as readBytes reads it', async () => {
    const lib = await Library.open(dir);
    const cpu = demoOfKind('cpu');
    const { snapshot } = await lib.import({ bytes: cpu.bytes, fileName: cpu.file, source: upload });
    await lib.trash(snapshot.id);
    const { stream } = await lib.openReadStream(snapshot.id);
    expect((await drain(stream)).bytes.equals(cpu.bytes)).toBe(true);
  });

  it('refuses unknown and malformed ids with not-found', async () => {
    const lib = await Library.open(dir);
    await importTrace(lib);
    for (const id of ['20260101-000000-deadbeef', '../secret', '', 'a/b']) {
      const e = await errorOf(lib.openReadStream(id));
      expect([id, e.kind]).toEqual([id, 'not-found']);
    }
  });

  it('refuses a data file whose size changed, before streaming anything', async () => {
    const lib = await Library.open(dir);
    const { meta, file } = await importTrace(lib);
    truncateSync(file, 1000);
    const e = await errorOf(lib.openReadStream(meta.id));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toContain('sha256 mismatch');
  });

  it('fails the stream at its end when the bytes changed in place (same size)', async () => {
    const lib = await Library.open(dir);
    const { trace, meta, file } = await importTrace(lib);
    const changed = Buffer.from(trace.bytes);
    changed[changed.length - 1] ^= 0xff;
    writeFileSync(file, changed);
    const { stream } = await lib.openReadStream(meta.id);
    const e = await errorOf(drain(stream));
    expect(e.kind).toBe('corrupt');
    expect(e.message).toContain(meta.name);
  });

  it('reports a data file that vanished as an io error', async () => {
    const lib = await Library.open(dir);
    const { meta, file } = await importTrace(lib);
    rmSync(file);
    const e = await errorOf(lib.openReadStream(meta.id));
    expect(e.kind).toBe('io');
    expect(e.message).toContain(`cannot read snapshot ${meta.name}`);
  });
});
