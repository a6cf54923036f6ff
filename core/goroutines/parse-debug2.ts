// Reader for panic-style goroutine dumps: /debug/pprof/goroutine?debug=2, runtime.Stack(all),
// SIGQUIT and crash output. One record per goroutine:
//
//   goroutine 18 [chan receive, 5 minutes, locked to thread labels:{"k": "v"}]:
//   main.(*notifier).awaitAck(0xc000010000)
//   	/src/main.go:20 +0x1b
//   ...3 frames elided...
//   created by main.start in goroutine 1
//   	/src/main.go:60 +0x49
//
// Records are separated by a blank line. Anything not understood becomes a warning, never an
// exception; a dump cut short keeps every complete record and says where it stopped.

import { DumpBuilder, newRecordDraft, type RecordDraft } from './builder';
import {
  FRAME_ELIDED,
  FRAME_UNSYMBOLIZED,
  REC_FRAMES_ELIDED,
  REC_LEAKED,
  REC_LOCKED_TO_THREAD,
  REC_STACK_UNAVAILABLE,
  type GoroutineDump,
  type Truncation,
} from './dump';
import { readLabelSet } from './quote';
import { LineCursor } from './text-input';

/**
 * `goroutine 18 [..]:`, with the gp/m fields GOTRACEBACK=system adds and, from Go 1.27 (when
 * GODEBUG tracebacklabels=1, the default for modules saying go 1.27), the goroutine's labels
 * after the state: `goroutine 9 [chan receive (leaked)] {component: outbox}:`.
 */
const HEADER =
  /^goroutine (\d+)(?: gp=0x[0-9a-f]+)?(?: m=(?:\d+|nil))?(?: mp=0x[0-9a-f]+)? \[(.*?)\](?: (\{.*\}))?:$/;
const FILE_LINE =
  /^\t(.*):(\d+)(?: \+0x([0-9a-f]+))?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+ pc=0x[0-9a-f]+)?$/;
const CREATED_BY = /^created by (.+?)(?: in goroutine (\d+))?$/;
const ELIDED = /^\.\.\.(\d+) frames elided\.\.\.$/;

/** A line that can start a debug=2 record (used by format detection too). */
export function isDebug2Header(line: string): boolean {
  return HEADER.test(line);
}

type Expect = 'frame' | 'file-of-frame' | 'file-of-creator' | 'ancestors';

interface OpenRecord {
  draft: RecordDraft;
  expect: Expect;
  /** The function line waiting for its file line. */
  pendingFunc: string;
  pendingInlined: boolean;
  pendingUnsymbolized: boolean;
  pendingCreator: string;
}

/** The Go 1.27 `{k: v, "k 2": "v 2"}` after the state. */
function parseTracebackLabels(text: string, draft: RecordDraft, b: DumpBuilder): void {
  const set = readLabelSet(text, 0, true);
  if (set && set.end === text.length) draft.labels = set.pairs;
  else b.warn('unreadable goroutine labels', text);
}

function parseHeaderState(content: string, draft: RecordDraft, b: DumpBuilder): void {
  let main = content;
  const at = content.indexOf(' labels:{');
  if (at >= 0) {
    const set = readLabelSet(content, at + ' labels:'.length);
    if (set && set.end === content.length) {
      draft.labels = set.pairs;
      main = content.slice(0, at);
    } else {
      b.warn('unreadable goroutine labels', content);
    }
  }
  const parts = main.split(', ');
  let state = parts[0];
  if (state.endsWith(' (scan)')) state = state.slice(0, -' (scan)'.length);
  if (state.endsWith(' (leaked)')) {
    state = state.slice(0, -' (leaked)'.length);
    draft.flags |= REC_LEAKED;
  }
  draft.state = state;
  draft.waitMinutes = 0;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    const minutes = /^(\d+) minutes$/.exec(p);
    if (minutes) draft.waitMinutes = Math.min(Number(minutes[1]), 2 ** 31 - 1);
    else if (p === 'locked to thread') draft.flags |= REC_LOCKED_TO_THREAD;
    else if (!/^synctest bubble \d+$/.test(p)) b.warn('unknown goroutine attribute', p);
  }
}

function funcLineParts(line: string): { name: string; inlined: boolean } | null {
  if (!line.endsWith(')')) return null;
  const open = line.lastIndexOf('(');
  if (open <= 0) return null;
  return { name: line.slice(0, open), inlined: line.slice(open + 1, -1) === '...' };
}

export function parseDebug2(text: string): GoroutineDump {
  const b = new DumpBuilder();
  const cursor = new LineCursor(text);
  let open: OpenRecord | null = null;
  let preambleLines = 0;
  let lastRecordEnd = 0;
  const frameCache = new Map<string, number>();

  const addFrame = (rec: OpenRecord, file: string, line: number, offset: number): void => {
    const kind = rec.pendingUnsymbolized ? FRAME_UNSYMBOLIZED : undefined;
    rec.draft.frames.push(b.frame(rec.pendingFunc, file, line, offset, rec.pendingInlined, kind));
    rec.expect = 'frame';
  };

  const close = (): void => {
    if (!open) return;
    if (open.expect === 'file-of-frame' || open.expect === 'file-of-creator') {
      b.warn('a frame without its file:line line', open.pendingFunc || open.pendingCreator);
      if (open.expect === 'file-of-frame') addFrame(open, '', 0, -1);
      else open.draft.createdBy = b.frame(open.pendingCreator, '', 0, -1, false);
    }
    b.addRecord(open.draft);
    lastRecordEnd = open.draft.textEnd;
    open = null;
  };

  for (let line = cursor.next(); line !== null; line = cursor.next()) {
    if (line === '') {
      close();
      continue;
    }
    const header = line.startsWith('goroutine ') ? HEADER.exec(line) : null;
    if (header) {
      if (open) b.warn('a goroutine record without the blank line that should end it');
      close();
      const draft = newRecordDraft(cursor.start);
      draft.id = Number(header[1]);
      parseHeaderState(header[2], draft, b);
      if (header[3] !== undefined) parseTracebackLabels(header[3], draft, b);
      draft.textEnd = cursor.end;
      open = {
        draft,
        expect: 'frame',
        pendingFunc: '',
        pendingInlined: false,
        pendingUnsymbolized: false,
        pendingCreator: '',
      };
      continue;
    }
    const rec: OpenRecord | null = open;
    if (!rec) {
      // Text around records: a panic message, signal and register dumps.
      if (b.recordCount > 0) b.warn('text between goroutine records was ignored', line);
      else preambleLines++;
      continue;
    }
    rec.draft.textEnd = cursor.end;
    if (rec.expect === 'ancestors') continue;

    if (rec.expect === 'file-of-frame' || rec.expect === 'file-of-creator') {
      // Most frames repeat across goroutines: reuse the frame of an identical pair of lines.
      const creator = rec.expect === 'file-of-creator';
      const cacheKey = creator
        ? `c\u0000${rec.pendingCreator}\u0000${line}`
        : `${rec.pendingInlined ? 'i' : 'f'}${rec.pendingUnsymbolized ? 'u' : ''}\u0000${rec.pendingFunc}\u0000${line}`;
      const cached = frameCache.get(cacheKey);
      if (cached !== undefined) {
        if (creator) rec.draft.createdBy = cached;
        else rec.draft.frames.push(cached);
        rec.expect = 'frame';
        continue;
      }
      const m = FILE_LINE.exec(line);
      if (m) {
        const offset = m[3] === undefined ? -1 : parseInt(m[3], 16);
        if (!creator) {
          addFrame(rec, m[1], Number(m[2]), offset);
          frameCache.set(cacheKey, rec.draft.frames[rec.draft.frames.length - 1]);
        } else {
          rec.draft.createdBy = b.frame(rec.pendingCreator, m[1], Number(m[2]), offset, false);
          frameCache.set(cacheKey, rec.draft.createdBy);
          rec.expect = 'frame';
        }
        continue;
      }
      // No file line: keep what we have and read this line afresh.
      b.warn('a frame without its file:line line', line);
      if (rec.expect === 'file-of-frame') addFrame(rec, '', 0, -1);
      else rec.draft.createdBy = b.frame(rec.pendingCreator, '', 0, -1, false);
      rec.expect = 'frame';
    }

    if (line.startsWith('\t')) {
      if (line === '\tgoroutine running on other thread; stack unavailable') {
        rec.draft.flags |= REC_STACK_UNAVAILABLE;
      } else {
        b.warn('a file:line line without a function line', line);
      }
      continue;
    }
    const created = line.startsWith('created by ') ? CREATED_BY.exec(line) : null;
    if (created) {
      rec.pendingCreator = created[1];
      if (created[2] !== undefined) rec.draft.creatorId = Number(created[2]);
      rec.expect = 'file-of-creator';
      continue;
    }
    if (line.startsWith('...')) {
      const m = ELIDED.exec(line);
      if (m || line === '...additional frames elided...') {
        const n = m ? Number(m[1]) : -1;
        rec.draft.frames.push(b.frame(line, '', n, -1, false, FRAME_ELIDED));
        rec.draft.flags |= REC_FRAMES_ELIDED;
        continue;
      }
    }
    if (line.startsWith('[originating from goroutine ')) {
      // GODEBUG=tracebackancestors: the creators' stacks, not this goroutine's.
      rec.expect = 'ancestors';
      continue;
    }
    if (line.startsWith('non-Go function at pc=')) {
      rec.pendingFunc = line;
      rec.pendingInlined = false;
      rec.pendingUnsymbolized = true;
      addFrame(rec, '', 0, -1);
      continue;
    }
    const fn = funcLineParts(line);
    if (fn) {
      rec.pendingFunc = fn.name;
      rec.pendingInlined = fn.inlined;
      rec.pendingUnsymbolized = false;
      rec.expect = 'file-of-frame';
      continue;
    }
    b.warn('unrecognized line in a goroutine record', line);
  }

  // Where the text stops decides what can be trusted.
  const partial = cursor.partial;
  let truncation: Truncation | null = null;
  const stillOpen = open as OpenRecord | null;
  if (stillOpen) {
    const d = stillOpen.draft;
    const incomplete =
      stillOpen.expect === 'file-of-frame' ||
      stillOpen.expect === 'file-of-creator' ||
      (d.frames.length === 0 && (d.flags & REC_STACK_UNAVAILABLE) === 0);
    if (partial !== '' || incomplete) {
      truncation = {
        kind: partial !== '' ? 'mid-line' : 'mid-record',
        at: lastRecordEnd,
        droppedRecords: 1,
        message:
          `the dump was cut short inside goroutine ${d.id}: that goroutine was left out ` +
          `(its stack is incomplete); ${b.recordCount} complete goroutines were read`,
      };
      open = null;
    } else if (d.createdBy < 0 && d.id !== 1 && (d.flags & REC_STACK_UNAVAILABLE) === 0) {
      close();
      truncation = {
        kind: 'suspected',
        at: text.length,
        droppedRecords: 0,
        message:
          `the last goroutine (${d.id}) has no "created by" line, which Go prints for every ` +
          'goroutine but the main one: the dump may have been cut short and its stack may be incomplete',
      };
    } else {
      close();
    }
  } else if (partial !== '') {
    truncation = {
      kind: 'mid-line',
      at: cursor.completeEnd,
      droppedRecords: partial.startsWith('g') ? 1 : 0,
      message: `the dump was cut short after ${b.recordCount} goroutines (it ends inside a line)`,
    };
  }
  if (b.recordCount === 0 && !truncation) {
    b.warn('no goroutine records found');
  }
  if (preambleLines > 0) b.warn(`${preambleLines} lines before the first goroutine were ignored`);
  return b.finish({
    format: 'debug2',
    profileName: 'goroutine',
    declaredTotal: null,
    truncation,
    source: text,
  });
}
