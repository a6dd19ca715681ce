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

function setup(record = emptyRecord()) {
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
  });
  recorder.setAckSender(async (ack) => {
    acks.push(ack);
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
    expect(recorder.snapshot().samples).toHaveLength(0);
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

  test('refuses samples past the per-interview limit', async () => {
    const record = emptyRecord();
    record.samples = Array.from({ length: MAX_SAMPLES }, (_, i) => ({
      ...sample(i),
      receivedAtMs: T0_MS,
    }));
    const { recorder } = setup(record);
    expect(await recorder.handlePacket(encode(sample(MAX_SAMPLES)), 'candidate', DATA_TOPIC)).toBe(
      'rejected',
    );
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
