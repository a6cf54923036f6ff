import { describe, expect, it } from 'vitest';
import { OutputRing } from '../../../electron/services/tunnel/output-ring';
import { isIgnoredName, sniffFormat } from '../../../electron/services/watch/sniff';
import { splitCaptureUrl } from '../../../electron/cli/commands/capture';

describe('OutputRing', () => {
  it('splits chunks into lines per stream and keeps the last N', () => {
    const r = new OutputRing(3);
    expect(r.push('stdout', 'Forwarding from 127.0.0.1:6060 -> 6060\nHandling conn')).toHaveLength(
      1,
    );
    r.push('stderr', 'error: lost connection\n');
    r.push('stdout', 'ection for 6060\n');
    expect(r.snapshot().map((l) => l.text)).toEqual([
      'Forwarding from 127.0.0.1:6060 -> 6060',
      'error: lost connection',
      'Handling connection for 6060',
    ]);
    r.push('stdout', 'a\nb\n');
    expect(r.snapshot().map((l) => l.text)).toEqual(['Handling connection for 6060', 'a', 'b']);
    r.push('stderr', 'no newline');
    expect(r.flush().map((l) => l.text)).toEqual(['no newline']);
  });
});

describe('watch sniffing', () => {
  it('recognises profiles, traces and dumps by their first bytes', () => {
    expect(sniffFormat('cpu.pb.gz', new Uint8Array([0x1f, 0x8b, 8]))).toBe('pprof-gzip');
    expect(sniffFormat('trace.out', Buffer.from('go 1.26 trace\0\0\0x'))).toBe('go-trace');
    expect(sniffFormat('g.txt', Buffer.from('goroutine 1 [running]:\n'))).toBe('goroutine-text');
    expect(sniffFormat('x.pprof', new Uint8Array([0x0a, 0x02]))).toBe('pprof');
    expect(sniffFormat('notes.txt', Buffer.from('hello'))).toBeNull();
  });
  it('ignores hidden and temporary files', () => {
    expect(isIgnoredName('.cpu.pb.gz')).toBe(true);
    expect(isIgnoredName('cpu.pb.gz.part')).toBe(true);
    expect(isIgnoredName('cpu.pb.gz.tmp')).toBe(true);
    expect(isIgnoredName('cpu.pb.gz')).toBe(false);
  });
});

describe('capture URL', () => {
  it('accepts the host, the prefix or the endpoint', () => {
    expect(splitCaptureUrl('http://127.0.0.1:6060')).toEqual({
      baseUrl: 'http://127.0.0.1:6060',
      prefix: '/debug/pprof',
      endpointKind: null,
    });
    expect(splitCaptureUrl('http://h:1/admin/pprof/')).toEqual({
      baseUrl: 'http://h:1',
      prefix: '/admin/pprof',
      endpointKind: null,
    });
    expect(splitCaptureUrl('https://h/debug/pprof/profile')).toEqual({
      baseUrl: 'https://h',
      prefix: '/debug/pprof',
      endpointKind: 'cpu',
    });
    expect(() => splitCaptureUrl('http://h/debug/pprof/heap?gc=1')).toThrow(/query/);
  });
});
