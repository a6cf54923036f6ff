import { describe, expect, it } from 'vitest';
import { SseParser, formatSse, type SseMessage } from '../../../core/contract/sse';

describe('SseParser', () => {
  it('reassembles events split at any byte and ignores comments', () => {
    const text =
      ': connected\n\n' +
      formatSse('snapshot.added', '{"a":1}') +
      ': ping\n\n' +
      'event: x\r\ndata: line1\r\ndata: line2\r\n\r\n' +
      formatSse('snapshot.removed', '{"id":"b"}');
    for (let split = 1; split < text.length; split += 7) {
      const got: SseMessage[] = [];
      const p = new SseParser((m) => got.push(m));
      for (let i = 0; i < text.length; i += split) p.push(text.slice(i, i + split));
      expect(got).toEqual([
        { event: 'snapshot.added', data: '{"a":1}' },
        { event: 'x', data: 'line1\nline2' },
        { event: 'snapshot.removed', data: '{"id":"b"}' },
      ]);
    }
  });
});
