import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/policy/policy';
import { DATA_TOPIC, type Ack } from '../../shared/protocol/data-message';
import type { IntegrityEvent } from '../../shared/protocol/integrity-event';
import type { JournalEntry } from '../../shared/record/journal-entry';
import {
  SessionRecordSchema,
  newSessionRecord,
  type SessionRecord,
} from '../../shared/record/session-record';
import { T0_MS, makeSample } from '../../shared/scoring/test-fixtures';
import { silentLogger } from '../log/logger';
import { CLOCK_SKEW_MS } from './packet-bounds';
import { MAX_SAMPLES, SessionRecorder } from './session-recorder';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

function emptyRecord(): SessionRecord {
  const record = newSessionRecord({
    id: '3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f',
    candidateHash: 'cand-hash-0001',
    createdAt: new Date(T0_MS),
    retainUntil: new Date(T0_MS + 86_400_000),
    tokenHashes: { candidate: 'a', interviewer: 'b' },
  });
  return { ...record, status: 'live', started_at: record.created_at };
}

function setup(record = emptyRecord(), rateLimit?: { ratePerS: number; capacity: number }) {
  const journal: JournalEntry[] = [];
  const acks: Ack[] = [];
  let now = T0_MS + 50;
  const recorder = new SessionRecorder({
    record,
    persist: async (entry) => {
      journal.push(entry);
    },
    now: () => now,
    policy: DEFAULT_POLICY,
    log: silentLogger,
    ...(rateLimit ? { rateLimit } : {}),
  });
  void recorder.attach(async (message) => {
    if (message.type === 'ack') acks.push(message);
  });
  return { recorder, journal, acks, advance: (ms: number) => (now += ms) };
}

const sample = (seq: number) =>
  makeSample({ stream: 'stream-test-01', seq, windowStartMs: T0_MS + seq * 1000 - 1000 });

function event(seq: number, overrides: Partial<IntegrityEvent> = {}): IntegrityEvent {
  return {
    type: 'integrity_event',
    v: 1,
    stream: 'stream-test-01',
    seq,
    eventId: `ev-${seq}`,
    kind: 'page_hidden',
    phase: 'instant',
    startMs: T0_MS,
    endMs: null,
    durationMs: null,
    details: {},
    ...overrides,
  };
}

describe('SessionRecorder.handlePacket', () => {
  test('stores a valid sample, journals it and acknowledges it', async () => {
    const { recorder, journal, acks } = setup();
    expect(await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC)).toBe('stored');
    expect(journal).toHaveLength(1);
    expect(journal[0]?.entry).toBe('sample');
    expect(acks).toEqual([{ type: 'ack', v: 1, stream: 'stream-test-01', upToSeq: 0 }]);
    expect(recorder.snapshot().samples[0]).toMatchObject({ seq: 0, receivedAtMs: T0_MS + 50 });
  });

  test.each([
    ['not JSON', new TextEncoder().encode('{nope'), /JSON/],
    ['wrong type', encode({ type: 'metric_sample', v: 2 }), /v/],
    [
      'landmarks smuggled in',
      encode({ ...sample(0), landmarks: [[0.1, 0.2, 0.3]] }),
      /landmarks|Unrecognized/i,
    ],
    ['oversized', encode({ ...sample(0), pad: 'x'.repeat(5000) }), /exceeds/],
    ['out-of-range ratio', encode({ ...sample(0), focusConsistency: 1.5 }), /focusConsistency/],
  ])('rejects %s with a reason and keeps neighbours', async (_name, bytes, reason) => {
    const { recorder, journal } = setup();
    await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC);
    expect(await recorder.handlePacket(bytes, 'candidate', DATA_TOPIC)).toBe('rejected');
    await recorder.handlePacket(encode(sample(1)), 'candidate', DATA_TOPIC);
    const record = recorder.snapshot();
    expect(record.samples.map((s) => s.seq)).toEqual([0, 1]);
    expect(record.rejected).toHaveLength(1);
    expect(record.rejected[0]?.reason).toMatch(reason);
    expect(journal.map((j) => j.entry)).toEqual(['sample', 'rejected', 'sample']);
  });

  test('ignores other topics and refuses evidence from anyone but the candidate', async () => {
    const { recorder } = setup();
    expect(await recorder.handlePacket(encode(sample(0)), 'candidate', 'other-topic')).toBe(
      'ignored',
    );
    expect(await recorder.handlePacket(encode(sample(0)), 'interviewer', DATA_TOPIC)).toBe(
      'rejected',
    );
    expect(await recorder.handlePacket(encode(sample(0)), undefined, DATA_TOPIC)).toBe('rejected');
    expect(recorder.snapshot().samples).toHaveLength(0);
    expect(recorder.snapshot().rejected.map((r) => [r.identity, r.reason])).toEqual([
      ['interviewer', 'only the candidate may send evidence'],
      ['(unidentified)', expect.stringMatching(/sender not identified by LiveKit/)],
    ]);
  });

  test('duplicates are stored once and acknowledged again', async () => {
    const { recorder, acks } = setup();
    await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC);
    expect(await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC)).toBe(
      'duplicate',
    );
    expect(recorder.snapshot().samples).toHaveLength(1);
    expect(acks).toHaveLength(2);
  });

  test('acks stay cumulative across gaps and name the out-of-order seq', async () => {
    const { recorder, acks } = setup();
    await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC);
    await recorder.handlePacket(encode(sample(2)), 'candidate', DATA_TOPIC);
    expect(acks.at(-1)).toEqual({
      type: 'ack',
      v: 1,
      stream: 'stream-test-01',
      upToSeq: 0,
      seqs: [2],
    });
    await recorder.handlePacket(encode(sample(1)), 'candidate', DATA_TOPIC);
    expect(acks.at(-1)).toEqual({ type: 'ack', v: 1, stream: 'stream-test-01', upToSeq: 2 });
  });

  test('storing never waits for an ack: a stalled link gets one ack for what piled up', async () => {
    const record = emptyRecord();
    const journal: JournalEntry[] = [];
    const sent: Ack[] = [];
    let unstall = (): void => undefined;
    const recorder = new SessionRecorder({
      record,
      persist: async (entry) => {
        journal.push(entry);
      },
      now: () => T0_MS + 50,
      policy: DEFAULT_POLICY,
      log: silentLogger,
    });
    await recorder.attach((message) => {
      if (message.type !== 'ack') return Promise.resolve();
      sent.push(message);
      // The first ack's publish hangs (a busy worker, a slow link) until the test lets it go.
      return sent.length === 1
        ? new Promise<void>((resolve) => (unstall = resolve))
        : Promise.resolve();
    });
    for (let seq = 0; seq < 20; seq += 1) {
      expect(await recorder.handlePacket(encode(sample(seq)), 'candidate', DATA_TOPIC)).toBe(
        'stored',
      );
    }
    // A re-send of something stored while the link is stalled is still only a duplicate.
    expect(await recorder.handlePacket(encode(sample(3)), 'candidate', DATA_TOPIC)).toBe(
      'duplicate',
    );
    expect(journal).toHaveLength(20);
    expect(sent).toEqual([{ type: 'ack', v: 1, stream: 'stream-test-01', upToSeq: 0 }]);
    unstall();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({ type: 'ack', v: 1, stream: 'stream-test-01', upToSeq: 19 });
  });

  test('refuses samples past the per-interview limit', async () => {
    const record = emptyRecord();
    record.samples = Array.from({ length: MAX_SAMPLES }, (_, i) => ({
      ...sample(i),
      receivedAtMs: T0_MS,
    }));
    const { recorder } = setup(record);
    const extra = makeSample({ stream: 'stream-test-01', seq: MAX_SAMPLES, windowStartMs: T0_MS });
    expect(await recorder.handlePacket(encode(extra), 'candidate', DATA_TOPIC)).toBe('rejected');
    expect(recorder.snapshot().rejected.at(-1)?.reason).toMatch(/limit of 20000/);
  });
});

describe('SessionRecorder scoring', () => {
  test("the client's provisional score is stored but never used", async () => {
    const honest = setup();
    const lying = setup();
    for (let i = 0; i < 5; i += 1) {
      const base = { ...sample(i), focusConsistency: 0.2 };
      await honest.recorder.handlePacket(
        encode({ ...base, provisionalScore: 10 }),
        'candidate',
        DATA_TOPIC,
      );
      await lying.recorder.handlePacket(
        encode({ ...base, provisionalScore: 100 }),
        'candidate',
        DATA_TOPIC,
      );
    }
    expect(lying.recorder.liveState().score).toEqual(honest.recorder.liveState().score);
  });

  test('an event lowers the live score and shows as a flag', async () => {
    const { recorder } = setup();
    for (let i = 0; i < 5; i += 1)
      await recorder.handlePacket(encode(sample(i)), 'candidate', DATA_TOPIC);
    const before = recorder.liveState().score.score;
    await recorder.handlePacket(encode(event(10, { kind: 'paste' })), 'candidate', DATA_TOPIC);
    const after = recorder.liveState();
    expect(after.flags.map((f) => f.kind)).toEqual(['paste']);
    expect(after.score.score).toBeLessThan(before);
  });

  test('a dismissed flag stops counting but stays in the record', async () => {
    const { recorder } = setup();
    for (let i = 0; i < 5; i += 1)
      await recorder.handlePacket(encode(sample(i)), 'candidate', DATA_TOPIC);
    const clean = recorder.liveState().score.score;
    await recorder.handlePacket(encode(event(10, { kind: 'paste' })), 'candidate', DATA_TOPIC);
    await recorder.addReview({ flagId: 'ev-10', decision: 'dismissed', atMs: T0_MS + 6000 });
    const state = recorder.liveState();
    expect(state.score.score).toBe(clean);
    expect(state.flags[0]?.review).toBe('dismissed');
    expect(recorder.snapshot().reviews).toHaveLength(1);
  });

  test('speaker intervals are journalled and the final record carries summary and timeline', async () => {
    const { recorder, journal, advance } = setup();
    for (let i = 0; i < 3; i += 1)
      await recorder.handlePacket(encode(sample(i)), 'candidate', DATA_TOPIC);
    await recorder.onActiveSpeakers(['candidate']);
    advance(2000);
    await recorder.onActiveSpeakers(['interviewer']);
    advance(1000);
    const final = await recorder.finalRecord('interviewer', new Date(T0_MS + 4000));
    expect(journal.filter((j) => j.entry === 'speaker')).toHaveLength(2);
    expect(final.speakers.map((s) => s.role)).toEqual(['candidate', 'interviewer']);
    expect(final.status).toBe('completed');
    expect(final.score_timeline.length).toBeGreaterThan(0);
    expect(SessionRecordSchema.safeParse(final).success).toBe(true);
  });

  test('a flag still open at completion is closed at the end of the interview', async () => {
    const { recorder } = setup();
    await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC);
    await recorder.handlePacket(
      encode(event(5, { kind: 'no_face', phase: 'start', startMs: T0_MS + 500 })),
      'candidate',
      DATA_TOPIC,
    );
    const final = await recorder.finalRecord('candidate', new Date(T0_MS + 10_050));
    expect(final.flags).toHaveLength(1);
    expect(final.flags[0]?.endMs).not.toBeNull();
    expect(final.flags[0]?.durationMs).toBeGreaterThan(9_000);
  });
});

describe('SessionRecorder bounds', () => {
  const HOUR_MS = 3_600_000;
  test.each([
    [
      'a sample dated 5 h in the future',
      sample(0),
      { windowStartMs: T0_MS + 5 * HOUR_MS, windowEndMs: T0_MS + 5 * HOUR_MS + 1000 },
      /in the future/,
    ],
    [
      'a sample dated 5 h before the start',
      sample(0),
      { windowStartMs: T0_MS - 5 * HOUR_MS, windowEndMs: T0_MS - 5 * HOUR_MS + 1000 },
      /before the interview started/,
    ],
    [
      'an event beyond the skew',
      event(0),
      { startMs: T0_MS + CLOCK_SKEW_MS + 60_000 },
      /in the future/,
    ],
    [
      'an end report of 1.7e308',
      event(0),
      { phase: 'end', startMs: T0_MS, endMs: 1.7e308, durationMs: 1.7e308 },
      /endMs|durationMs/,
    ],
    ['a window ending at 1.7e308', sample(0), { windowEndMs: 1.7e308 }, /windowEndMs/],
    ['a detail of 1e300', event(0), { details: { count: 1e300 } }, /details/],
    [
      'a duration longer than the event',
      event(0),
      { phase: 'end', startMs: T0_MS, endMs: T0_MS + 1000, durationMs: 5 * HOUR_MS },
      /durationMs/,
    ],
  ] as const)(
    'refuses %s, and nothing about the interview changes',
    async (_name, base, patch, reason) => {
      const honest = setup();
      const attacked = setup();
      for (const r of [honest, attacked])
        for (let i = 1; i <= 5; i += 1)
          await r.recorder.handlePacket(encode(sample(i)), 'candidate', DATA_TOPIC);
      const before = attacked.recorder.snapshot().clock_offset_ms;
      expect(
        await attacked.recorder.handlePacket(
          encode({ ...base, seq: 9, ...patch }),
          'candidate',
          DATA_TOPIC,
        ),
      ).toBe('rejected');
      const state = attacked.recorder.liveState();
      expect(attacked.recorder.snapshot().rejected.at(-1)?.reason).toMatch(reason);
      expect(state.packets_refused).toBe(1);
      expect(state.score).toEqual(honest.recorder.liveState().score);
      expect(attacked.recorder.snapshot().clock_offset_ms).toBe(before);
      expect(attacked.recorder.snapshot().samples).toHaveLength(5);
      const final = await attacked.recorder.finalRecord('api', new Date(T0_MS + 10_000));
      expect(final.interview_summary).toEqual(
        (await honest.recorder.finalRecord('api', new Date(T0_MS + 10_000))).interview_summary,
      );
    },
  );

  test('a record of accepted data at the edges of every bound stays readable', async () => {
    const { recorder, advance } = setup();
    advance(11 * HOUR_MS);
    const edgeMs = T0_MS + 11 * HOUR_MS + CLOCK_SKEW_MS;
    const accepted = [
      makeSample({
        stream: 'stream-test-01',
        seq: 0,
        windowStartMs: T0_MS - CLOCK_SKEW_MS,
        windowEndMs: edgeMs,
        headSpeedDegPerS: 10_000,
        sharpness: 1e7,
      }),
      event(1, {
        phase: 'end',
        kind: 'looking_away',
        startMs: T0_MS - CLOCK_SKEW_MS,
        endMs: edgeMs,
        durationMs: edgeMs - (T0_MS - CLOCK_SKEW_MS) - 1,
        details: { big: 1e9, small: -1e9 },
      }),
    ];
    for (const m of accepted)
      expect(await recorder.handlePacket(encode(m), 'candidate', DATA_TOPIC)).toBe('stored');
    const final = await recorder.finalRecord('api', new Date(T0_MS + 11 * HOUR_MS));
    const reread = SessionRecordSchema.safeParse(JSON.parse(JSON.stringify(final)));
    expect(reread.success).toBe(true);
  });
});

describe('SessionRecorder rate limit', () => {
  test('a flood is refused before parsing, counted in one run, and honest packets pass after it', async () => {
    const { recorder, journal, advance } = setup(undefined, { ratePerS: 10, capacity: 20 });
    const outcomes: string[] = [];
    for (let i = 0; i < 120; i += 1)
      outcomes.push(await recorder.handlePacket(encode(sample(i)), 'candidate', DATA_TOPIC));
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(20);
    expect(outcomes.filter((o) => o === 'rate_limited')).toHaveLength(100);
    // Not even parsed: garbage over the limit is refused the same way, not as "not JSON".
    expect(
      await recorder.handlePacket(new TextEncoder().encode('{nope'), 'candidate', DATA_TOPIC),
    ).toBe('rate_limited');
    advance(1000);
    expect(await recorder.handlePacket(encode(sample(100)), 'candidate', DATA_TOPIC)).toBe(
      'stored',
    );
    const rows = recorder.snapshot().rejected.map((r) => r.reason);
    expect(rows).toEqual([
      expect.stringMatching(/rate limit: more than 10 packets\/s/),
      'rate limit: 101 packets refused over 1.0 s',
    ]);
    expect(journal.filter((j) => j.entry === 'rejected')).toHaveLength(2);
    expect(recorder.liveState()).toMatchObject({ packets_refused: 101, packets_rate_limited: 101 });
  });

  test('the limit is per participant: a flood from another identity leaves the candidate alone', async () => {
    const { recorder } = setup(undefined, { ratePerS: 10, capacity: 20 });
    for (let i = 0; i < 100; i += 1)
      await recorder.handlePacket(encode(sample(i)), 'interviewer', DATA_TOPIC);
    expect(await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC)).toBe('stored');
  });

  test('an honest re-send after an outage (300 messages paced at 20/s) is never limited', async () => {
    const { recorder, advance } = setup();
    advance(5 * 60_000);
    for (let i = 0; i < 300; i += 1) {
      expect(await recorder.handlePacket(encode(sample(i)), 'candidate', DATA_TOPIC)).toBe(
        'stored',
      );
      advance(50);
    }
  });
});

describe('SessionRecorder drain', () => {
  test('completion waits for the candidate to answer closing, and only that long', async () => {
    const { recorder } = setup();
    const sent: string[] = [];
    await recorder.attach(async (m) => {
      sent.push(m.type);
    });
    expect(await recorder.requestDrain(1000)).toBe('absent');
    await recorder.onConnection('candidate', 'connected');
    const waiting = recorder.requestDrain(60_000);
    await recorder.handlePacket(encode(sample(0)), 'candidate', DATA_TOPIC);
    await recorder.handlePacket(
      encode({ type: 'drained', v: 1, stream: 'stream-test-01', pending: 0 }),
      'candidate',
      DATA_TOPIC,
    );
    expect(await waiting).toBe('drained');
    expect(sent).toContain('closing');
    expect(await recorder.requestDrain(20)).toBe('timeout');
  });
});
