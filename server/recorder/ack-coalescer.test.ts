import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/data-message';
import { AckCoalescer } from './ack-coalescer';

const STREAM = 'stream_test_01';

/** A send that settles only when the test says so, recording every ack handed to it. */
function gatedSend(): { sent: Ack[]; open: () => void; send: (ack: Ack) => Promise<void> } {
  const sent: Ack[] = [];
  let release: (() => void)[] = [];
  return {
    sent,
    open: () => {
      const waiting = release;
      release = [];
      for (const r of waiting) r();
    },
    send: (ack) => {
      sent.push(ack);
      return new Promise((resolve) => release.push(resolve));
    },
  };
}

describe('AckCoalescer', () => {
  it('acks at once when idle, and gathers what is stored while an ack is in flight', async () => {
    let upTo = -1;
    const gate = gatedSend();
    const acks = new AckCoalescer(() => upTo, gate.send);
    upTo = 0;
    acks.request(STREAM, 0);
    expect(gate.sent).toEqual([{ type: 'ack', v: 1, stream: STREAM, upToSeq: 0 }]);
    // 1..9 stored while the first ack is in flight: one ack follows, read at send time.
    for (let seq = 1; seq <= 9; seq += 1) {
      upTo = seq;
      acks.request(STREAM, seq);
    }
    expect(gate.sent).toHaveLength(1);
    gate.open();
    await Promise.resolve();
    await Promise.resolve();
    expect(gate.sent).toHaveLength(2);
    expect(gate.sent[1]).toEqual({ type: 'ack', v: 1, stream: STREAM, upToSeq: 9 });
    gate.open();
    await acks.idle();
    expect(gate.sent).toHaveLength(2);
  });

  it('names stored messages above a gap selectively, newest 256 at most', async () => {
    const sent: Ack[] = [];
    let inFlight: (() => void) | null = null;
    const acks = new AckCoalescer(
      () => 4, // 0..4 contiguous; 5 missing
      (ack) => {
        sent.push(ack);
        return new Promise((resolve) => (inFlight = resolve));
      },
    );
    acks.request(STREAM, 4);
    for (let seq = 6; seq < 6 + 300; seq += 1) acks.request(STREAM, seq);
    (inFlight as (() => void) | null)?.();
    await new Promise((resolve) => setImmediate(resolve));
    const second = sent[1];
    expect(second?.upToSeq).toBe(4);
    expect(second?.seqs).toHaveLength(256);
    expect(second?.seqs?.[0]).toBe(6 + 300 - 256);
    expect(second?.seqs?.at(-1)).toBe(305);
  });

  it('keeps one ack per stream and survives a failed send', async () => {
    const sent: Ack[] = [];
    let fail = true;
    const acks = new AckCoalescer(
      () => 0,
      (ack) => {
        sent.push(ack);
        if (fail) {
          fail = false;
          return Promise.reject(new Error('room gone'));
        }
        return Promise.resolve();
      },
    );
    acks.request(STREAM, 0);
    acks.request('stream_other_02', 0);
    acks.request(STREAM, 0);
    await acks.idle();
    expect(sent.map((a) => a.stream)).toEqual([STREAM, 'stream_other_02', STREAM]);
    acks.request(STREAM, 0);
    await acks.idle();
    expect(sent).toHaveLength(4);
  });
});
