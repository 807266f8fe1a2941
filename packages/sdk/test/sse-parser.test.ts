/** SseParser: the text/event-stream framing the revocation feed relies on, chunk boundaries included. */
import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/verifier/sse-parser.js';

describe('SseParser', () => {
  it('parses events, ids, comments, multi-line data and retry', () => {
    const p = new SseParser();
    const events = p.push(
      ': heartbeat\n\nid: 1\nevent: set\ndata: a.b.c\n\ndata: line1\ndata:line2\n\nretry: 1500\n',
    );
    expect(events).toEqual([
      { event: 'set', data: 'a.b.c', id: '1' },
      { event: 'message', data: 'line1\nline2', id: '1' },
    ]);
    expect(p.retryMs).toBe(1500);
    expect(p.lastEventId).toBe('1');
  });

  it('handles CRLF and CR line ends split across chunks, byte by byte', () => {
    const text = 'id: 7\r\nevent: set\r\ndata: x.y.z\r\n\r\nid: 8\revent: set\rdata: q\r\r';
    const p = new SseParser();
    const events = [...text].flatMap((c) => p.push(c));
    expect(events).toEqual([
      { event: 'set', data: 'x.y.z', id: '7' },
      { event: 'set', data: 'q', id: '8' },
    ]);
  });

  it('keeps an incomplete event until its blank line arrives; ignores unknown fields', () => {
    const p = new SseParser('41');
    expect(p.push('event: set\nfoo: bar\ndata: partial')).toEqual([]);
    expect(p.push('\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'set', data: 'partial', id: '41' }]);
  });
});
