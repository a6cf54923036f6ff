// Reader for /debug/pprof/goroutine?debug=1 (and goroutineleak?debug=1): identical stacks are
// already grouped, most frequent first, and separated by blank lines:
//
//   goroutine profile: total 54
//   37 @ 0x48452e 0x4181ae 0x5219fc 0x48b701
//   # labels: {"route":"/orders"}
//   #	0x5219fb	main.(*notifier).awaitAck+0x1b	/src/main.go:20
//
// Columns are aligned by a tabwriter that pads with tabs, so fields are split on runs of tabs.
// No goroutine ids, states or wait times exist in this format.

import { DumpBuilder, newRecordDraft, type RecordDraft } from './builder';
import {
  FRAME_UNSYMBOLIZED,
  REC_STATE_INFERRED,
  type GoroutineDump,
  type Truncation,
} from './dump';
import { inferState } from './states';
import { readLabelSet } from './quote';
import { LineCursor } from './text-input';

export const DEBUG1_HEADER = /^(\S+) profile: total (\d+)$/;
const RECORD_HEADER = /^(\d+) @((?: 0x[0-9a-fA-F]+)*)$/;
const FUNC_OFFSET = /^(.*)\+0x([0-9a-fA-F]+)$/;
const FILE_LINE = /^(.*):(\d+)$/;

export function parseDebug1(text: string): GoroutineDump {
  const b = new DumpBuilder();
  const cursor = new LineCursor(text);
  let profileName = 'goroutine';
  let declared: number | null = null;
  let open: RecordDraft | null = null;

  const close = (): void => {
    if (!open) return;
    // debug=1 prints no states; name the ones its frames show (not chan or select waits,
    // whose runtime frames debug=1 hides).
    open.state = inferState(open.frames.slice(0, 12).map((f) => b.frameName(f)));
    open.flags |= REC_STATE_INFERRED;
    b.addRecord(open);
    open = null;
  };

  for (let line = cursor.next(); line !== null; line = cursor.next()) {
    if (declared === null) {
      const m = DEBUG1_HEADER.exec(line);
      if (m) {
        profileName = m[1];
        declared = Number(m[2]);
      } else if (line.trim() !== '') {
        b.warn('text before the profile header was ignored', line);
      }
      continue;
    }
    if (line === '') {
      close();
      continue;
    }
    const head = RECORD_HEADER.exec(line);
    if (head) {
      if (open) b.warn('a stack record without the blank line that should end it');
      close();
      open = newRecordDraft(cursor.start);
      open.count = Number(head[1]);
      open.textEnd = cursor.end;
      continue;
    }
    const rec: RecordDraft | null = open;
    if (!rec) {
      b.warn('a line outside any stack record was ignored', line);
      continue;
    }
    rec.textEnd = cursor.end;
    if (line.startsWith('# labels: ')) {
      const set = readLabelSet(line, '# labels: '.length);
      if (set && set.end === line.length) rec.labels = set.pairs;
      else b.warn('unreadable goroutine labels', line);
      continue;
    }
    if (line.startsWith('#\t')) {
      const fields = line.split(/\t+/);
      // fields: '#', address, func+offset, file:line (the last two absent when unsymbolized)
      if (fields.length >= 4) {
        const fn = FUNC_OFFSET.exec(fields[2]);
        const fl = FILE_LINE.exec(fields.slice(3).join('\t'));
        const name = fn ? fn[1] : fields[2];
        const offset = fn ? parseInt(fn[2], 16) : -1;
        rec.frames.push(b.frame(name, fl ? fl[1] : '', fl ? Number(fl[2]) : 0, offset, false));
      } else if (fields.length >= 2) {
        rec.frames.push(b.frame(fields[1], '', 0, -1, false, FRAME_UNSYMBOLIZED));
      } else {
        b.warn('unrecognized frame line', line);
      }
      continue;
    }
    b.warn('unrecognized line in a stack record', line);
  }

  const partial = cursor.partial;
  let truncation: Truncation | null = null;
  const read = (): string => `${b.recordCount} complete stack records were read`;
  const stillOpen = open as RecordDraft | null;
  if (stillOpen) {
    // Every record ends with a blank line; without it the stack may miss frames.
    truncation = {
      kind: partial !== '' ? 'mid-line' : 'mid-record',
      at: stillOpen.textStart,
      droppedRecords: 1,
      message: `the dump was cut short inside a stack of ${stillOpen.count} goroutines, which was left out; ${read()}`,
    };
    open = null;
  } else if (partial !== '') {
    truncation = {
      kind: 'mid-line',
      at: cursor.completeEnd,
      droppedRecords: declared === null || /^\d/.test(partial) ? 1 : 0,
      message:
        declared === null
          ? 'the dump was cut short inside its header line'
          : `the dump was cut short (it ends inside a line); ${read()}`,
    };
  }
  let counted = 0;
  const draft = b.finish({
    format: 'debug1',
    profileName,
    declaredTotal: declared,
    truncation,
    source: text,
  });
  for (let i = 0; i < draft.records.length; i++) counted += draft.records.count[i];
  if (declared !== null && counted !== declared) {
    if (counted < declared && !truncation) {
      draft.truncation = {
        kind: 'count-mismatch',
        at: text.length,
        droppedRecords: 0,
        message: `the header says ${declared} goroutines but the stacks add up to ${counted}: the dump was cut short`,
      };
    } else if (counted > declared) {
      draft.warnings.push(
        `the header says ${declared} goroutines but the stacks add up to ${counted}`,
      );
    }
  }
  return draft;
}
