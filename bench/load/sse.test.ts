import { describe, expect, it } from 'vitest';
import { splitSse } from './sse';

describe('splitSse', () => {
  it('returns complete events and keeps the unfinished rest', () => {
    const { events, rest } = splitSse('event: live\ndata: {"a":1}\n\nevent: status\ndata: {"b"');
    expect(events).toEqual([{ event: 'live', data: '{"a":1}' }]);
    expect(rest).toBe('event: status\ndata: {"b"');
  });

  it('joins multi-line data, defaults the name and accepts CRLF', () => {
    const { events, rest } = splitSse('data: one\r\ndata: two\r\n\r\n: comment\n\n');
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo' }]);
    expect(rest).toBe('');
  });
});
