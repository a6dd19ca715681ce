import { describe, expect, it } from 'vitest';
import type { Ack, CandidateMessage } from '../../../shared/protocol/data-message';
import { createOutboxCore, type OutboxCore } from './outbox-core';

const STREAM = 'stream_test_01';

function event(seq: number): CandidateMessage {
  return {
    type: 'integrity_event',
    v: 1,
    stream: STREAM,
    seq,
    eventId: `evt_${seq}`,
    kind: 'copy',
    phase: 'instant',
    startMs: 1000,
    endMs: null,
    durationMs: null,
    details: { textLength: 3 },
  };
}

function sample(seq: number): CandidateMessage {
  return {
    type: 'metric_sample',
    v: 1,
    stream: STREAM,
    seq,
    windowStartMs: seq * 1000,
    windowEndMs: seq * 1000 + 1000,
    framesOffered: 10,
    framesAnalysed: 10,
    analysedFps: 10,
    inferenceMsMedian: 30,
    faceCountMax: 1,
    oneFaceRatio: 1,
    noFaceRatio: 0,
    multiFaceRatio: 0,
    gazeStability: 1,
    gazeDispersionDeg: 0,
    headSpeedDegPerS: 0,
    suddenTurns: 0,
    focusConsistency: 1,
    lookingAwayRatio: 0,
    yawDeg: 0,
    pitchDeg: 0,
    rollDeg: 0,
    blinkRatePerMin: null,
    luminance: 120,
    sharpness: 100,
    faceLuminance: 120,
    coverage: 1,
    qualityIssue: 'none',
    calibrated: true,
  };
}

/** Adds messages built by `make` at the next seqs, as the outbox adapter does. */
function addAll(core: OutboxCore, makers: readonly ((seq: number) => CandidateMessage)[]): void {
  for (const make of makers) core.add(make(core.peekSeq()));
}

const seqs = (messages: readonly CandidateMessage[]): number[] => messages.map((m) => m.seq);

describe('outbox core', () => {
  it('hands out gap-free sequence numbers across samples and events', () => {
    const core = createOutboxCore({ stream: STREAM });
    addAll(core, [sample, event, sample]);
    expect(seqs(core.due(0))).toEqual([0, 1, 2]);
    expect(core.peekSeq()).toBe(3);
  });

  it('makes a message due at once, then again only after resendAfterMs', () => {
    const core = createOutboxCore({ stream: STREAM, resendAfterMs: 3000 });
    addAll(core, [sample]);
    core.markSent(0, 1000);
    expect(core.due(1000)).toEqual([]);
    expect(core.due(3999)).toEqual([]);
    expect(seqs(core.due(4000))).toEqual([0]);
  });

  it('limits how many due messages one pass returns, lowest seq first', () => {
    const core = createOutboxCore({ stream: STREAM });
    addAll(core, [sample, sample, sample, sample]);
    expect(seqs(core.due(0, 2))).toEqual([0, 1]);
  });

  it('makes everything due again after a reconnect', () => {
    const core = createOutboxCore({ stream: STREAM });
    addAll(core, [sample, event]);
    core.markSent(0, 10);
    core.markSent(1, 10);
    expect(core.due(20)).toEqual([]);
    core.markAllDue();
    expect(seqs(core.due(20))).toEqual([0, 1]);
  });

  it.each([
    { name: 'cumulative', ack: { upToSeq: 2 }, left: [3, 4] },
    { name: 'nothing yet', ack: { upToSeq: -1 }, left: [0, 1, 2, 3, 4] },
    { name: 'selective above the prefix', ack: { upToSeq: 0, seqs: [2, 4] }, left: [1, 3] },
    { name: 'beyond what was sent', ack: { upToSeq: 99 }, left: [] },
  ])('releases what an ack covers: $name', ({ ack, left }) => {
    const core = createOutboxCore({ stream: STREAM });
    addAll(core, [sample, event, sample, event, sample]);
    core.ack({ type: 'ack', v: 1, stream: STREAM, ...ack });
    expect(seqs(core.due(0))).toEqual(left);
  });

  it('ignores acks of another stream', () => {
    const core = createOutboxCore({ stream: STREAM });
    addAll(core, [sample]);
    expect(core.ack({ type: 'ack', v: 1, stream: 'someone_else', upToSeq: 5 })).toBe(0);
    expect(core.pendingCount()).toBe(1);
  });

  it('does not keep a message an earlier ack already covered', () => {
    const core = createOutboxCore({ stream: STREAM });
    addAll(core, [sample, sample]);
    core.ack({ type: 'ack', v: 1, stream: STREAM, upToSeq: 1 });
    core.add(sample(1));
    expect(core.pendingCount()).toBe(0);
  });

  it('drops the oldest samples, never events, when full, and counts the drops', () => {
    const core = createOutboxCore({ stream: STREAM, maxPending: 3 });
    addAll(core, [event, sample, sample, event, sample]);
    expect(seqs(core.due(0))).toEqual([0, 3, 4]);
    expect(core.stats()).toMatchObject({ pending: 3, pendingEvents: 2, droppedSamples: 2 });
  });

  it('keeps events beyond the bound rather than dropping them', () => {
    const core = createOutboxCore({ stream: STREAM, maxPending: 2 });
    addAll(core, [event, event, event]);
    expect(core.pendingCount()).toBe(3);
    expect(core.stats().droppedSamples).toBe(0);
  });

  it('counts re-sends separately from first sends', () => {
    const core = createOutboxCore({ stream: STREAM, resendAfterMs: 100 });
    addAll(core, [sample]);
    core.markSent(0, 0);
    core.markSent(0, 100);
    expect(core.stats()).toMatchObject({ sent: 2, resent: 1 });
  });

  it('refuses a message of another stream', () => {
    const core = createOutboxCore({ stream: STREAM });
    expect(() => core.add({ ...sample(0), stream: 'other_stream' })).toThrow(/other_stream/);
  });
});

describe('outbox core back-off and order', () => {
  it('doubles the wait after each unanswered send, up to the cap', () => {
    const core = createOutboxCore({ stream: STREAM, resendAfterMs: 1000, maxResendAfterMs: 5000 });
    core.add(sample(0), 0);
    const sendTimes: number[] = [];
    for (let t = 0; t <= 30_000; t += 100) {
      if (core.due(t).length > 0) {
        core.markSent(0, t);
        sendTimes.push(t);
      }
    }
    // 0, then +1 s, +2 s, +4 s, then every 5 s (the cap).
    expect(sendTimes.slice(0, 7)).toEqual([0, 1000, 3000, 7000, 12_000, 17_000, 22_000]);
    expect(core.stats()).toMatchObject({ sent: sendTimes.length, resent: sendTimes.length - 1 });
  });

  it('a path break makes everything due at once and restarts the back-off', () => {
    const core = createOutboxCore({ stream: STREAM, resendAfterMs: 1000 });
    core.add(sample(0), 0);
    for (const t of [0, 1000, 3000, 7000]) core.markSent(0, t);
    expect(core.due(10_000)).toEqual([]);
    core.markAllDue();
    expect(seqs(core.due(10_000))).toEqual([0]);
    core.markSent(0, 10_000);
    expect(seqs(core.due(11_000))).toEqual([0]);
  });

  it('new messages go before a backlog, which then drains lowest seq first', () => {
    const core = createOutboxCore({ stream: STREAM, freshMs: 5000 });
    for (let i = 0; i < 100; i += 1) core.add(sample(i), 0);
    core.add(event(100), 60_000);
    expect(seqs(core.due(60_500, 3))).toEqual([100, 0, 1]);
  });

  describe('adaptive re-send timer', () => {
    const ack = (upToSeq: number): Ack => ({ type: 'ack', v: 1, stream: STREAM, upToSeq });

    it('waits longer when acks are slow, never less than resendAfterMs', () => {
      const core = createOutboxCore({ stream: STREAM, resendAfterMs: 3000 });
      expect(core.stats()).toMatchObject({ ackRttMs: null, resendAfterMs: 3000 });
      // Acks that take 6 s: the timer follows them (srtt + 4 rttvar), above the 3 s floor.
      for (let i = 0; i < 20; i += 1) {
        addAll(core, [sample]);
        core.markSent(i, i * 1000);
        core.ack(ack(i), i * 1000 + 6000);
      }
      const slow = core.stats();
      expect(slow.ackRttMs).toBeCloseTo(6000, 0);
      expect(slow.resendAfterMs).toBeGreaterThanOrEqual(6000);
      addAll(core, [sample]);
      core.markSent(20, 100_000);
      expect(core.due(100_000 + 5999)).toEqual([]);
      // Fast acks bring it back down to the floor.
      const fast = createOutboxCore({ stream: STREAM, resendAfterMs: 3000 });
      for (let i = 0; i < 20; i += 1) {
        fast.add(sample(i));
        fast.markSent(i, i * 1000);
        fast.ack(ack(i), i * 1000 + 50);
      }
      expect(fast.stats().resendAfterMs).toBe(3000);
    });

    it('takes no round trip from a re-sent message (Karn) nor from an ack without a time', () => {
      const core = createOutboxCore({ stream: STREAM, resendAfterMs: 1000 });
      addAll(core, [sample, sample]);
      core.markSent(0, 0);
      core.markSent(0, 1000); // re-sent: its ack may answer either send
      core.ack(ack(0), 1200);
      expect(core.stats().ackRttMs).toBeNull();
      core.markSent(1, 2000);
      core.ack(ack(1));
      expect(core.stats().ackRttMs).toBeNull();
    });

    it.each([
      { timed: true, name: 'acks timed' },
      { timed: false, name: 'acks untimed (timeouts alone back off)' },
    ])('keeps a recorder with 5 s acks from being sent each message twice: $name', ({ timed }) => {
      // One message a second; every ack arrives 5 s after the first send. A fixed 3 s timer
      // re-sent every one of the 120 messages; now only the first few, before the timer adapts.
      const core = createOutboxCore({ stream: STREAM, resendAfterMs: 3000 });
      const acksAt = new Map<number, number>();
      for (let t = 0; t < 120_000; t += 250) {
        if (t % 1000 === 0) addAll(core, [sample]);
        for (const m of core.due(t)) {
          core.markSent(m.seq, t);
          if (!acksAt.has(m.seq)) acksAt.set(m.seq, t + 5000);
        }
        for (const [seq, at] of acksAt) {
          if (at !== t) continue;
          acksAt.delete(seq);
          core.ack({ ...ack(-1), seqs: [seq] }, timed ? t : undefined);
        }
      }
      expect(core.stats().sent).toBeGreaterThanOrEqual(115);
      expect(core.stats().resent).toBeLessThanOrEqual(8);
    });
  });
});
