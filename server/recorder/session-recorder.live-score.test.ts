import { describe, expect, test } from 'vitest';
import { mergeEventReports } from '../../shared/detection/flags';
import type { SpeakerInterval } from '../../shared/detection/flag';
import { DEFAULT_POLICY } from '../../shared/policy/policy';
import { DATA_TOPIC } from '../../shared/protocol/data-message';
import type { IntegrityEvent } from '../../shared/protocol/integrity-event';
import { newSessionRecord } from '../../shared/record/session-record';
import { computeScore } from '../../shared/scoring/score-engine';
import { mulberry32, randomInt, randomPick } from '../../shared/scoring/seeded-random';
import { T0_MS, makeSample } from '../../shared/scoring/test-fixtures';
import { silentLogger } from '../log/logger';
import { IDENTITY } from '../livekit/room-tokens';
import { SessionRecorder } from './session-recorder';

/**
 * The recorder's live score (incremental: the accumulator, the flag book, the prepared flags
 * kept while nothing they depend on changed) against computeScore over the recorder's own record
 * at every step of random interviews: samples a second, flags opening and closing (some starting
 * ahead of the server's clock, as a fast candidate clock reports them), reviews, and both roles
 * starting and stopping to speak. A failure names its seed and step.
 */
const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const STREAM = 'stream-live-01';
const KINDS = ['looking_away', 'looking_away', 'page_hidden', 'no_face', 'reading'] as const;

function recorderAt(seed: number): { recorder: SessionRecorder; advance: (ms: number) => number } {
  const record = newSessionRecord({
    id: `3f1b8d3e-2c1a-4b7e-9d2f-${String(seed).padStart(12, '0')}`,
    candidateHash: 'cand-hash-0001',
    createdAt: new Date(T0_MS),
    retainUntil: new Date(T0_MS + 86_400_000),
    tokenHashes: { candidate: 'a', interviewer: 'b' },
  });
  let now = T0_MS + 1000;
  const recorder = new SessionRecorder({
    record: { ...record, status: 'live', started_at: record.created_at },
    persist: () => Promise.resolve(),
    now: () => now,
    policy: DEFAULT_POLICY,
    log: silentLogger,
    rateLimit: { ratePerS: 1e6, capacity: 1e6 },
  });
  return { recorder, advance: (ms) => (now += ms) };
}

describe('the live score equals computeScore over the record', () => {
  test.each(Array.from({ length: 40 }, (_, i) => 9100 + i))('seed %i', async (seed) => {
    const random = mulberry32(seed);
    const { recorder, advance } = recorderAt(seed);
    await recorder.attach(() => Promise.resolve());
    const open = new Map<string, IntegrityEvent>();
    const speaking = new Set<string>();
    let seq = 0;
    let flagCount = 0;
    for (let step = 0; step < 240; step += 1) {
      const now = advance(1000);
      // The candidate's clock runs 40 ms behind the server's (a constant offset).
      const candidateNow = now - 40;
      await recorder.handlePacket(
        encode(
          makeSample({
            stream: STREAM,
            seq: seq++,
            windowStartMs: candidateNow - 1000,
            windowEndMs: candidateNow,
            focusConsistency: random(),
          }),
        ),
        IDENTITY.candidate,
        DATA_TOPIC,
      );
      const roll = random();
      if (roll < 0.05) {
        const eventId = `ev-${String(flagCount++)}`;
        // Now and then a flag reported as starting ahead of the server's clock.
        const startMs = candidateNow + (random() < 0.4 ? randomInt(random, 1, 20) * 1000 : -500);
        const event: IntegrityEvent = {
          type: 'integrity_event',
          v: 1,
          stream: STREAM,
          seq: seq++,
          eventId,
          kind: randomPick(random, KINDS),
          phase: 'start',
          startMs,
          endMs: null,
          durationMs: null,
          details: {},
        };
        open.set(eventId, event);
        expect(await recorder.handlePacket(encode(event), IDENTITY.candidate, DATA_TOPIC)).toBe(
          'stored',
        );
      } else if (roll < 0.08 && open.size > 0) {
        const [eventId, started] = [...open][0] as [string, IntegrityEvent];
        open.delete(eventId);
        const endMs = Math.max(started.startMs, candidateNow);
        await recorder.handlePacket(
          encode({
            ...started,
            seq: seq++,
            phase: 'end',
            endMs,
            durationMs: endMs - started.startMs,
          }),
          IDENTITY.candidate,
          DATA_TOPIC,
        );
      } else if (roll < 0.09 && flagCount > 0) {
        const flagId = `ev-${String(randomInt(random, 0, flagCount - 1))}`;
        await recorder.addReview({
          flagId,
          decision: random() < 0.6 ? 'dismissed' : 'confirmed',
          atMs: now,
        });
      } else if (roll < 0.13) {
        const who = randomPick(random, [IDENTITY.candidate, IDENTITY.interviewer]);
        if (speaking.has(who)) speaking.delete(who);
        else speaking.add(who);
        await recorder.onActiveSpeakers([...speaking]);
      }
      const live = recorder.liveState().score;
      const record = recorder.snapshot();
      const offset = record.clock_offset_ms ?? 0;
      const atMs = now - offset;
      const speakers: SpeakerInterval[] = record.speakers.map((s) => ({
        role: s.role,
        startMs: s.startMs - offset,
        endMs: s.endMs - offset,
      }));
      for (const who of speaking) {
        // Open speech counts up to now; its start is the last change of that role.
        const role = who === IDENTITY.candidate ? 'candidate' : 'interviewer';
        const since = (recorder as unknown as { openSpeech: Map<string, number> }).openSpeech.get(
          role,
        );
        if (since !== undefined) speakers.push({ role, startMs: since - offset, endMs: atMs });
      }
      const expected = computeScore({
        samples: record.samples,
        flags: mergeEventReports(record.events, record.reviews, atMs),
        speakers,
        startMs: Math.min(
          ...record.samples.map((s) => s.windowStartMs),
          ...record.events.map((e) => e.startMs),
        ),
        atMs,
        policy: DEFAULT_POLICY,
      });
      expect(live.score, `seed ${String(seed)} step ${String(step)}`).toBe(expected.score);
      expect(live.flagPoints).toEqual(expected.flagPoints);
      expect(live.contributions.map((c) => [c.type, c.points])).toEqual(
        expected.contributions.map((c) => [c.type, c.points]),
      );
    }
  });
});
