import { describe, expect, it } from 'vitest';
import {
  FRAME_ELIDED,
  REC_FRAMES_ELIDED,
  REC_LOCKED_TO_THREAD,
  REC_STATE_INFERRED,
  frameLabel,
  goroutineCount,
  recordLabels,
  recordText,
  stackFrames,
  type GoroutineDump,
} from '../../../core/goroutines/dump';
import { GoroutineDumpError } from '../../../core/goroutines/errors';
import { parseGoroutineDump } from '../../../core/goroutines/parse';
import { readGoroutines } from '../../../core/goroutines/load';
import { testdata, testdataText } from './testdata';

const AWAIT = 'main.(*notifier).awaitAck';

function funcs(d: GoroutineDump, record: number): string[] {
  return stackFrames(d, d.records.stack[record]).map((f) => d.strings[d.frames.func[f]]);
}

function recordsIn(d: GoroutineDump, leafFunc: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.records.length; i++) if (funcs(d, i)[0] === leafFunc) out.push(i);
  return out;
}

function errorOf(input: string | Uint8Array): GoroutineDumpError {
  try {
    parseGoroutineDump(input);
  } catch (err) {
    if (err instanceof GoroutineDumpError) return err;
    throw err;
  }
  throw new Error('expected a GoroutineDumpError');
}

describe('debug=2 text', () => {
  const d = parseGoroutineDump(testdata('goroutine-late-debug2.txt'));

  it('reads every goroutine with its id, state and wait', () => {
    expect(d.format).toBe('debug2');
    expect(d.truncation).toBeNull();
    expect(d.warnings).toEqual([]);
    expect(d.records.length).toBe(65);
    expect(goroutineCount(d)).toBe(65);
    const ids = new Set(d.records.id);
    expect(ids.size).toBe(65);
    const awaiting = recordsIn(d, AWAIT);
    expect(awaiting.length).toBe(48);
    const minutes = awaiting.map((i) => d.records.waitMinutes[i]).sort();
    expect(minutes.filter((m) => m === 2).length).toBe(37);
    expect(minutes.filter((m) => m === 0).length).toBe(11);
    for (const i of awaiting) expect(d.strings[d.records.state[i]]).toBe('chan receive');
  });

  it('keeps file:line, inlining and the created-by frame with its goroutine id', () => {
    const i = recordsIn(d, AWAIT)[0];
    const leaf = stackFrames(d, d.records.stack[i])[0];
    expect(d.strings[d.frames.file[leaf]]).toMatch(/testdata\/gen\/main\.go$/);
    expect(d.frames.line[leaf]).toBe(25);
    expect(d.frames.pcOffset[leaf]).toBeGreaterThan(0);
    const creator = d.records.createdBy[i];
    expect(d.strings[d.frames.func[creator]]).toBe('main.main');
    expect(d.records.creatorId[i]).toBe(1);
    // sync.(*Mutex).Lock is inlined into main.main.func…: printed as f(...) with no +0x.
    const [locked] = d.records.state.reduce<number[]>(
      (acc, s, r) => (d.strings[s] === 'sync.Mutex.Lock' ? [...acc, r] : acc),
      [],
    );
    const lockFrame = stackFrames(d, d.records.stack[locked]).find(
      (f) => d.strings[d.frames.func[f]] === 'sync.(*Mutex).Lock',
    );
    expect(lockFrame).toBeDefined();
    expect(d.frames.inlined[lockFrame!]).toBe(1);
    expect(d.frames.pcOffset[lockFrame!]).toBe(-1);
  });

  it('reads labels, locked-to-thread and elided frames', () => {
    const workers = recordsIn(d, 'main.worker[...]');
    expect(workers.length).toBe(5);
    const tenants = workers.map((i) => recordLabels(d, i));
    expect(
      tenants.filter((l) => JSON.stringify(l) === '[["route","/orders"],["tenant","0"]]').length,
    ).toBe(3);
    expect(
      tenants.filter((l) => JSON.stringify(l) === '[["route","/orders"],["tenant","1"]]').length,
    ).toBe(2);
    const locked = [...d.records.flags.keys()].filter(
      (i) => d.records.flags[i] & REC_LOCKED_TO_THREAD,
    );
    expect(locked.length).toBe(1);
    expect(d.strings[d.records.state[locked[0]]]).toBe('select (no cases)');
    const deep = [...d.records.flags.keys()].filter((i) => d.records.flags[i] & REC_FRAMES_ELIDED);
    expect(deep.length).toBe(1);
    const frames = stackFrames(d, d.records.stack[deep[0]]);
    const marker = frames.find((f) => d.frames.kind[f] === FRAME_ELIDED)!;
    expect(frameLabel(d, marker)).toMatch(/^\.\.\.\d+ frames elided\.\.\.$/);
    expect(d.frames.line[marker]).toBeGreaterThan(0);
  });

  it('keeps the original text of each record (with argument values)', () => {
    const i = recordsIn(d, AWAIT)[0];
    const text = recordText(d, i);
    expect(text.startsWith(`goroutine ${d.records.id[i]} [chan receive`)).toBe(true);
    expect(text).toContain(`${AWAIT}(`);
    expect(text.endsWith('\n')).toBe(false);
  });

  it('interns strings, frames and stacks', () => {
    // 48 identical stacks share one stack entry.
    const stacks = new Set(recordsIn(d, AWAIT).map((i) => d.records.stack[i]));
    expect(stacks.size).toBe(1);
    expect(new Set(d.strings).size).toBe(d.strings.length);
    expect(d.frames.length).toBeLessThan(400);
  });

  it('reads crash output with GOTRACEBACK=system fields and a panic preamble', () => {
    const crash = parseGoroutineDump(testdataText('crash-system.txt'));
    expect(crash.format).toBe('debug2');
    expect(crash.truncation).toBeNull();
    const first = 0;
    expect(crash.strings[crash.records.state[first]]).toBe('running');
    expect(funcs(crash, first)[0]).toBe('panic');
    const main = [...crash.records.id.keys()].find((i) => crash.records.id[i] === 1)!;
    expect(funcs(crash, main).slice(0, 3)).toEqual([
      'runtime.gopark',
      'runtime.chanrecv',
      'runtime.chanrecv1',
    ]);
    expect(crash.warnings.join('\n')).toMatch(/lines before the first goroutine were ignored/);
    expect(recordsIn(crash, 'runtime.gopark').length).toBeGreaterThan(3);
  });

  it('accepts unknown states and attributes, and CRLF line ends', () => {
    const text = testdataText('goroutine-late-debug2.txt')
      .replace('[sleep, 2 minutes]', '[frobnicating, 3 minutes, teleported]')
      .replace(/\n/g, '\r\n');
    const u = parseGoroutineDump(text);
    expect(u.records.length).toBe(65);
    const i = [...u.records.state.keys()].find(
      (r) => u.strings[u.records.state[r]] === 'frobnicating',
    )!;
    expect(u.records.waitMinutes[i]).toBe(3);
    expect(u.warnings.join('\n')).toContain('unknown goroutine attribute');
  });

  it('decodes escapes in labels', () => {
    const text =
      'goroutine 7 [select labels:{"k\\"1": "a\\tb\\u00e9\\x01", "z": ""}]:\nmain.f()\n\t/x/main.go:3 +0x1\ncreated by main.main in goroutine 1\n\t/x/main.go:9 +0x2\n';
    const u = parseGoroutineDump(text);
    expect(u.truncation).toBeNull();
    expect(recordLabels(u, 0)).toEqual([
      ['k"1', 'a\tbé\x01'],
      ['z', ''],
    ]);
  });
});

describe('debug=1 text', () => {
  const d = parseGoroutineDump(testdata('goroutine-late-debug1.txt'));

  it('reads grouped stacks with counts and labels', () => {
    expect(d.format).toBe('debug1');
    expect(d.profileName).toBe('goroutine');
    expect(d.truncation).toBeNull();
    expect(d.warnings).toEqual([]);
    expect(d.declaredTotal).toBe(65);
    expect(goroutineCount(d)).toBe(65);
    const awaiting = recordsIn(d, AWAIT);
    expect(awaiting.map((i) => d.records.count[i])).toEqual([48]);
    const workers = recordsIn(d, 'main.worker[...]');
    expect(workers.map((i) => d.records.count[i]).sort()).toEqual([2, 3]);
    expect(workers.map((i) => recordLabels(d, i)[1][1]).sort()).toEqual(['0', '1']);
    for (let i = 0; i < d.records.length; i++) {
      expect(d.records.id[i]).toBe(-1);
      expect(d.records.waitMinutes[i]).toBe(-1);
      expect(d.records.flags[i] & REC_STATE_INFERRED).toBeTruthy();
    }
  });

  it('infers the states its frames show', () => {
    const states = new Map<string, number>();
    for (let i = 0; i < d.records.length; i++) {
      const s = d.strings[d.records.state[i]];
      states.set(s, (states.get(s) ?? 0) + d.records.count[i]);
    }
    expect(states.get('sync.Mutex.Lock')).toBe(3);
    expect(states.get('IO wait')).toBe(1);
    expect(states.get('sleep')).toBe(1);
    expect(states.get('sync.WaitGroup.Wait')).toBe(1);
    expect(states.get('sync.Cond.Wait')).toBe(1);
  });
});

describe('garbage and wrong inputs', () => {
  it('names HTML, gzip, binary, empty and other profiles', () => {
    expect(errorOf('<!DOCTYPE html>\n<html><head><title>Login</title></head></html>').kind).toBe(
      'html',
    );
    const gz = errorOf(testdata('goroutine-late.pb.gz'));
    expect(gz.kind).toBe('binary');
    expect(gz.message).toMatch(/protobuf/);
    expect(errorOf(new Uint8Array([1, 2, 0, 4, 5])).kind).toBe('binary');
    expect(errorOf(new Uint8Array(0)).kind).toBe('empty');
    expect(errorOf(' \n\t\n').kind).toBe('empty');
    expect(errorOf('threadcreate profile: total 9\n9 @\n#\t0x1\n\n').kind).toBe('wrong-profile');
    expect(errorOf('heap profile: 1: 2 [3: 4] @ heap/1048576\n').kind).toBe('wrong-profile');
    expect(errorOf('{"goroutines": []}\n').kind).toBe('unrecognized');
    expect(errorOf('gorout').kind).toBe('truncated');
  });
});

describe('readGoroutines', () => {
  it('opens the proto profile and text dumps alike', () => {
    const proto = readGoroutines(testdata('goroutine-late.pb.gz'));
    expect(proto.format).toBe('proto');
    expect(goroutineCount(proto)).toBe(65);
    expect(readGoroutines(testdata('goroutine-late-debug1.txt')).format).toBe('debug1');
    expect(readGoroutines(testdata('goroutine-late-debug2.txt')).format).toBe('debug2');
    expect(() => readGoroutines(testdata('mutex.pb.gz'))).toThrow(GoroutineDumpError);
  });
});
