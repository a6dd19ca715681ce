import { Room } from '@livekit/rtc-node';
import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATA_TOPIC } from '../../shared/protocol/data-message';
import type { SessionRecord } from '../../shared/record/session-record';
import { roomNameFor } from '../../server/livekit/room-tokens';
import { startAppServer, type AppServer, sharedLiveKit } from './support/app-server';
import { RtcParticipant, linkToken, requestJoin, sampleNow } from './support/rtc-candidate';
import { waitFor } from './support/wait-for';

/**
 * The watched candidate as an attacker: @livekit/rtc-node clients holding real tokens from the
 * app send hand-made packets to the real recorder through the real LiveKit server. Each attack
 * must be refused with its reason in `rejected`, while the honest stream interleaved with it
 * arrives whole, once, and the score is what the honest stream alone gives.
 */
const HOUR_MS = 3_600_000;
const enc = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

let app: AppServer;
const participants: RtcParticipant[] = [];

beforeAll(async () => {
  app = await startAppServer(sharedLiveKit());
});
afterAll(async () => {
  await Promise.allSettled(participants.map((p) => p.close()));
  await app.close();
});

/** A candidate that, like the page, sends once the recorder said it knows it. */
async function candidateOf(linkUrl: string, stream: string): Promise<RtcParticipant> {
  const p = await RtcParticipant.connect(await requestJoin(app.url, linkUrl), stream);
  participants.push(p);
  await waitFor(() => p.ready, 15_000, 'recorder_ready');
  return p;
}

function recordOf(id: string): Promise<SessionRecord> {
  return app.server.interviews.record(id);
}

function seqsOf(record: SessionRecord, stream: string): number[] {
  return [...record.samples, ...record.events]
    .filter((m) => m.stream === stream)
    .map((m) => m.seq)
    .sort((a, b) => a - b);
}

describe('hostile candidate input against the real LiveKit and recorder', () => {
  test("an honest candidate's first packets, sent the moment the recorder greets it, are all accepted", async () => {
    const iv = await app.createInterview('e2e-hostile-early');
    const stream = 'early-stream-01';
    const candidate = await candidateOf(iv.candidate_url, stream);
    for (let seq = 0; seq < 10; seq += 1) await candidate.sendJson(sampleNow(stream, seq));
    await waitFor(() => candidate.ackedUpTo(stream) === 9, 15_000, 'acks up to seq 9');
    const record = await recordOf(iv.id);
    expect(seqsOf(record, stream)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(record.rejected).toEqual([]);
  });

  test('packets LiveKit cannot name the sender of are refused, never stored as evidence', async () => {
    const iv = await app.createInterview('e2e-hostile-unnamed');
    const stream = 'unnamed-stream1';
    const join = await requestJoin(app.url, iv.candidate_url);
    const impatient = await RtcParticipant.connect(join, stream);
    participants.push(impatient);
    // Sent at once, before the recorder has seen this participant join.
    await impatient.sendJson(sampleNow(stream, 0));
    await waitFor(() => impatient.ready, 15_000, 'recorder_ready');
    await impatient.sendJson(sampleNow(stream, 1));
    await waitFor(
      () => impatient.ackedUpTo(stream) >= -1 && impatient.acks(stream).length > 0,
      15_000,
      'an ack',
    );
    const record = await recordOf(iv.id);
    // Stored only if LiveKit named the sender in time; otherwise refused with the reason.
    const early = record.samples.some((s) => s.seq === 0);
    expect(record.samples.some((s) => s.seq === 1)).toBe(true);
    if (!early) expect(record.rejected[0]?.reason).toMatch(/sender not identified/);
    expect(record.rejected.every((r) => r.identity === '(unidentified)')).toBe(true);
  });

  test('every malformed, out-of-range, dated or replayed packet is refused with its reason; the honest stream arrives whole, once', async () => {
    const iv = await app.createInterview('e2e-hostile-mixed');
    const stream = 'honest-stream-01';
    const candidate = await candidateOf(iv.candidate_url, stream);
    const now = Date.now();
    const attacks: [string, Uint8Array, RegExp][] = [
      ['malformed JSON', new TextEncoder().encode('{"type":"metric_sample",'), /not UTF-8 JSON/],
      ['not UTF-8', new Uint8Array([0xff, 0xfe, 0x00]), /not UTF-8 JSON/],
      ['oversized', enc({ ...sampleNow(stream, 100), pad: 'x'.repeat(6000) }), /exceeds 4096/],
      [
        'landmarks smuggled in',
        enc({ ...sampleNow(stream, 101), landmarks: [[0.1, 0.2]] }),
        /Unrecognized key/,
      ],
      [
        'a looking_away end report of 1.7e308',
        enc({
          type: 'integrity_event',
          v: 1,
          stream,
          seq: 102,
          eventId: 'ev-huge-01',
          kind: 'looking_away',
          phase: 'end',
          startMs: now,
          endMs: 1.7e308,
          durationMs: 1.7e308,
          details: {},
        }),
        /endMs|durationMs/,
      ],
      ['a ratio of 1.7e308', enc({ ...sampleNow(stream, 103), coverage: 1.7e308 }), /coverage/],
      [
        'a sample dated 5 h in the future',
        enc(sampleNow(stream, 104, now + 5 * HOUR_MS)),
        /in the future/,
      ],
      [
        'a sample dated 5 h in the past',
        enc(sampleNow(stream, 105, now - 5 * HOUR_MS)),
        /before the interview started/,
      ],
      [
        'an event dated 5 h in the future',
        enc({
          type: 'integrity_event',
          v: 1,
          stream,
          seq: 106,
          eventId: 'ev-future-1',
          kind: 'paste',
          phase: 'instant',
          startMs: now + 5 * HOUR_MS,
          endMs: null,
          durationMs: null,
          details: {},
        }),
        /in the future/,
      ],
      ['an unknown message type', enc({ type: 'score_override', v: 1, score: 100 }), /type/],
    ];

    // Honest samples 0..19, one attack after each of the first ten, and replays of 3 and 7.
    for (let seq = 0; seq < 20; seq += 1) {
      await candidate.sendJson(sampleNow(stream, seq));
      const attack = attacks[seq];
      if (attack) await candidate.send(attack[1]);
      if (seq === 5 || seq === 9) await candidate.sendJson(sampleNow(stream, seq - 2));
    }
    // Another topic is not ours: ignored, not refused (LiveKit rooms carry other traffic too).
    await candidate.send(enc(sampleNow(stream, 107)), 'someone-elses-topic');
    await waitFor(() => candidate.ackedUpTo(stream) === 19, 15_000, 'acks up to seq 19');
    await waitFor(
      async () => (await recordOf(iv.id)).rejected.length >= attacks.length,
      10_000,
      'every refusal recorded',
    );

    const record = await recordOf(iv.id);
    expect(seqsOf(record, stream)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(record.rejected.map((r) => r.identity)).toEqual(attacks.map(() => 'candidate'));
    record.rejected.forEach((row, i) => {
      expect(row.reason, attacks[i]?.[0]).toMatch(attacks[i]?.[2] ?? /never/);
    });
    const live = app.server.interviews.liveState(iv.id);
    expect(live.packets_refused).toBe(attacks.length);
    // The clock offset comes from honest packets only (same machine: a few ms of transit).
    expect(Math.abs(record.clock_offset_ms ?? Number.NaN)).toBeLessThan(5_000);
    // The score is that of the honest samples alone: no flag, and coverage over the real span.
    expect(live.flags).toEqual([]);
    expect(live.score.coverage).toBeGreaterThan(0.5);

    // Completion succeeds and the record stays readable, from memory and from disk.
    const res = await fetch(`${app.url}/api/links/${linkToken(iv.interviewer_url)}/complete`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const final = await app.readRecord(iv.id);
    expect(final.interview_summary?.duration_ms).toBeLessThan(5 * 60_000);
    expect(final.rejected).toHaveLength(attacks.length);
  });

  test('a flood is rate-limited and counted without touching a neighbouring interview', async () => {
    const [ivA, ivB] = [
      await app.createInterview('e2e-flood-a1'),
      await app.createInterview('e2e-flood-b1'),
    ];
    const flooder = await candidateOf(ivA.candidate_url, 'flood-stream-01');
    const neighbour = await candidateOf(ivB.candidate_url, 'neighbour-01');
    let neighbourSeq = 0;
    const neighbourTimer = setInterval(() => {
      void neighbour.sendJson(sampleNow('neighbour-01', neighbourSeq++));
    }, 200);
    try {
      // 1,000 valid, distinct samples as fast as the client can publish them.
      const sends: Promise<void>[] = [];
      for (let seq = 0; seq < 1000; seq += 1)
        sends.push(flooder.sendJson(sampleNow('flood-stream-01', seq)));
      await Promise.all(sends);
      await waitFor(
        () => app.server.interviews.liveState(ivA.id).packets_rate_limited > 0,
        20_000,
        'the rate limit to refuse part of the flood',
      );
    } finally {
      clearInterval(neighbourTimer);
    }
    const lastNeighbourSeq = neighbourSeq - 1;
    await waitFor(
      () => neighbour.ackedUpTo('neighbour-01') === lastNeighbourSeq,
      20_000,
      "the neighbour's acks",
    );
    const neighbourRecord = await recordOf(ivB.id);
    expect(seqsOf(neighbourRecord, 'neighbour-01')).toEqual(
      Array.from({ length: neighbourSeq }, (_, i) => i),
    );
    expect(neighbourRecord.rejected).toEqual([]);

    // The flood's refusals are counted, with a row when a run starts and one when it ends (not
    // one per packet). Packets reach the recorder in bursts (through LiveKit and the recorder's
    // worker process), so the bucket may refill between bursts and split the flood into a few runs.
    const live = app.server.interviews.liveState(ivA.id);
    const stored = (await recordOf(ivA.id)).samples.length;
    expect(stored + live.packets_rate_limited).toBe(1000);
    expect(stored).toBeLessThan(1000);
    const rows = (await recordOf(ivA.id)).rejected;
    expect(rows[0]?.reason).toMatch(/^rate limit: more than \d+ packets\/s/);
    for (const row of rows) expect(row.reason).toMatch(/^rate limit: /);
    expect(rows.length).toBeLessThanOrEqual(8);
    expect(rows.length).toBeLessThan(live.packets_rate_limited / 10);

    // Once the candidate slows down, its packets are accepted again and the run is summed up.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await flooder.sendJson(sampleNow('flood-stream-01', 5000));
    await waitFor(
      async () => seqsOf(await recordOf(ivA.id), 'flood-stream-01').includes(5000),
      10_000,
      'a sample after the flood',
    );
    // Each run's end row counts its refusals; together they are every refusal.
    const refusedInRuns = (await recordOf(ivA.id)).rejected
      .map((r) => /^rate limit: (\d+) packets refused over/.exec(r.reason)?.[1])
      .filter((n): n is string => n !== undefined)
      .reduce((sum, n) => sum + Number(n), 0);
    expect(refusedInRuns).toBe(live.packets_rate_limited);
  });

  test('evidence from anyone but the candidate is refused: the interviewer cannot publish data, the server API is refused by the recorder', async () => {
    const iv = await app.createInterview('e2e-wrong-sender');
    const candidate = await candidateOf(iv.candidate_url, 'candidate-st-01');
    const interviewer = await RtcParticipant.connect(
      await requestJoin(app.url, iv.interviewer_url),
    );
    participants.push(interviewer);
    // LiveKit itself refuses data from a token without canPublishData (or drops it silently).
    await interviewer.sendJson(sampleNow('interviewer-st-01', 0)).catch(() => undefined);
    const lk = sharedLiveKit();
    const rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
    await rooms.sendData(
      roomNameFor(iv.id),
      enc(sampleNow('server-st-0001', 0)),
      DataPacket_Kind.RELIABLE,
      {
        topic: DATA_TOPIC,
      },
    );
    await candidate.sendJson(sampleNow('candidate-st-01', 0));
    await waitFor(
      () => candidate.ackedUpTo('candidate-st-01') === 0,
      10_000,
      "the candidate's ack",
    );
    const record = await waitFor(
      async () => {
        const r = await recordOf(iv.id);
        return r.rejected.length > 0 ? r : undefined;
      },
      10_000,
      "the server API's packet refused",
    );
    expect(record.rejected.map((r) => [r.identity, r.reason])).toEqual([
      ['(unidentified)', expect.stringMatching(/^sender not identified by LiveKit/)],
    ]);
    expect(record.samples.map((s) => s.stream)).toEqual(['candidate-st-01']);
  });

  test('completion 1-5 s after joining keeps everything sent before it, then old tokens open nothing', async () => {
    const iv = await app.createInterview('e2e-complete-early');
    const stream = 'complete-st-01';
    const join = await requestJoin(app.url, iv.candidate_url);
    const candidate = await RtcParticipant.connect(join, stream);
    participants.push(candidate);
    await waitFor(() => candidate.ready, 15_000, 'recorder_ready');
    let seq = 0;
    const startedMs = Date.now();
    // A sample every 100 ms, like a page catching up, until the completion request goes out.
    while (Date.now() - startedMs < 2_000) {
      await candidate.sendJson(sampleNow(stream, seq));
      seq += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const sentBefore = seq;
    const res = await fetch(`${app.url}/api/links/${linkToken(iv.interviewer_url)}/complete`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const final = await app.readRecord(iv.id);
    expect(seqsOf(final, stream)).toEqual(Array.from({ length: sentBefore }, (_, i) => i));
    expect(candidate.received.some((m) => m.type === 'closing')).toBe(true);

    // The app refuses a new token, and LiveKit refuses the old one: the room no longer exists.
    const again = await fetch(`${app.url}/api/links/${linkToken(iv.candidate_url)}/join`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);
    const stale = new Room();
    await expect(
      stale.connect(join.livekit_url, join.token, { autoSubscribe: false, dynacast: false }),
    ).rejects.toThrow();
    await stale.disconnect().catch(() => undefined);
    const lk = sharedLiveKit();
    const rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
    expect(await rooms.listRooms([roomNameFor(iv.id)])).toEqual([]);
  });
});
