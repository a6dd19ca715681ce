import { afterAll, describe, expect, test } from 'vitest';
import { roomNameFor } from '../../server/livekit/room-tokens';
import type { MetricSample } from '../../shared/protocol/metric-sample';
import { startAppServer, type AppServer } from './support/app-server';
import { RtcParticipant, requestJoin, sampleNow } from './support/rtc-candidate';
import { waitFor } from './support/wait-for';

/**
 * Recorders live in worker processes (RECORDER_WORKERS, 4 by default): a worker killed with
 * SIGKILL mid-interview costs its interviews a rejoin on another worker, loses nothing the
 * candidate was told was stored, and leaves the interviews on the other worker and the API alone.
 */

/** A scripted candidate that keeps what the recorder did not acknowledge and sends it again. */
class ReliableCandidate {
  readonly stream: string;
  private readonly sent = new Map<number, MetricSample>();
  private nextSeq = 0;

  constructor(
    readonly participant: RtcParticipant,
    stream: string,
  ) {
    this.stream = stream;
  }

  /** Every seq the recorder acknowledged (cumulatively or one by one). */
  acked(): Set<number> {
    const acked = new Set<number>();
    for (const ack of this.participant.acks(this.stream)) {
      for (let seq = 0; seq <= ack.upToSeq; seq += 1) acked.add(seq);
      for (const seq of ack.seqs ?? []) acked.add(seq);
    }
    return acked;
  }

  readyCount(): number {
    return this.participant.received.filter((m) => m.type === 'recorder_ready').length;
  }

  async sendNew(count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const sample = sampleNow(this.stream, this.nextSeq);
      this.sent.set(sample.seq, sample);
      this.nextSeq += 1;
      // A send may fail while the room is in trouble: the sample is kept and sent again.
      await this.participant.sendJson(sample).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends again whatever is not acknowledged, until everything is (what the page does). */
  async resendUntilAcked(timeoutMs: number): Promise<void> {
    await waitFor(
      async () => {
        const acked = this.acked();
        const missing = [...this.sent.keys()].filter((seq) => !acked.has(seq));
        if (missing.length === 0) return true;
        for (const seq of missing) {
          await this.participant.sendJson(this.sent.get(seq)).catch(() => undefined);
        }
        return false;
      },
      timeoutMs,
      `stream ${this.stream}: every sample acknowledged`,
      1000,
    );
  }

  sentSeqs(): number[] {
    return [...this.sent.keys()].sort((a, b) => a - b);
  }
}

describe('recorder worker processes', () => {
  let app: AppServer | undefined;
  const participants: RtcParticipant[] = [];
  afterAll(async () => {
    await Promise.allSettled(participants.map((p) => p.close()));
    await app?.close();
  });

  test('a SIGKILLed worker costs its interview a rejoin, nothing acknowledged, and leaves the others alone', async () => {
    app = await startAppServer();
    const server = app.server;
    const pool = server.recorders;
    if (!pool) throw new Error('the app server should run recorder workers by default');
    expect(pool.workerPids().length).toBe(4);

    const join = async (hash: string): Promise<{ id: string; candidate: ReliableCandidate }> => {
      const iv = await app?.createInterview(hash);
      if (!iv) throw new Error('no app');
      const stream = `stream-${hash}`;
      const participant = await RtcParticipant.connect(
        await requestJoin(server.url, iv.candidate_url),
        stream,
      );
      participants.push(participant);
      await waitFor(() => participant.ready, 30_000, `${hash}: recorder_ready`);
      return { id: iv.id, candidate: new ReliableCandidate(participant, stream) };
    };
    const a = await join('e2e-worker-kill-a');
    const b = await join('e2e-worker-kill-b');
    const pidA = pool.pidHolding(roomNameFor(a.id));
    const pidB = pool.pidHolding(roomNameFor(b.id));
    expect(pidA).not.toBeNull();
    // Rooms go to the least-loaded worker: the two interviews are on different workers.
    expect(pidB).not.toBe(pidA);

    await Promise.all([a.candidate.sendNew(10), b.candidate.sendNew(10)]);
    await Promise.all([a.candidate.resendUntilAcked(30_000), b.candidate.resendUntilAcked(30_000)]);

    // Watch both live states from here on: A must pause and resume, B must never pause.
    const seenA: boolean[] = [];
    const seenB: boolean[] = [];
    const watching = { on: true };
    const watch = (async () => {
      while (watching.on) {
        seenA.push(server.interviews.liveState(a.id).recorder_connected);
        seenB.push(server.interviews.liveState(b.id).recorder_connected);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const readyBefore = a.candidate.readyCount();
    const ackedBeforeKill = a.candidate.acked();
    process.kill(pidA ?? 0, 'SIGKILL');
    // Both keep sending through the kill; A's samples meanwhile reach no recorder.
    await Promise.all([a.candidate.sendNew(10), b.candidate.sendNew(10)]);
    await waitFor(
      () =>
        server.interviews.liveState(a.id).recorder_connected &&
        a.candidate.readyCount() > readyBefore,
      60_000,
      'interview A: the recorder rejoined and greeted the candidate again',
      100,
    );
    await Promise.all([a.candidate.sendNew(10), b.candidate.sendNew(10)]);
    await Promise.all([a.candidate.resendUntilAcked(60_000), b.candidate.resendUntilAcked(30_000)]);
    watching.on = false;
    await watch;

    // A: "Recording paused" was shown, then recording resumed.
    const pausedAt = seenA.indexOf(false);
    expect(pausedAt).toBeGreaterThanOrEqual(0);
    expect(seenA.slice(pausedAt).includes(true)).toBe(true);
    expect(seenA.at(-1)).toBe(true);
    // B, on the other worker, never lost its recorder.
    expect(seenB.every(Boolean)).toBe(true);
    expect(pool.pidHolding(roomNameFor(b.id))).toBe(pidB);

    // Nothing acknowledged is lost; everything sent is stored exactly once.
    for (const { id, candidate } of [a, b]) {
      const record = await server.interviews.record(id);
      const stored = record.samples.filter((s) => s.stream === candidate.stream).map((s) => s.seq);
      expect(new Set(stored).size).toBe(stored.length);
      expect([...stored].sort((x, y) => x - y)).toEqual(candidate.sentSeqs());
      expect(record.rejected).toEqual([]);
    }
    expect([...ackedBeforeKill].every((seq) => a.candidate.acked().has(seq))).toBe(true);
    expect(a.candidate.sentSeqs()).toHaveLength(30);

    // The pool started a new worker in place of the killed one; the API answered throughout.
    await waitFor(
      () => pool.workerPids().every((pid) => pid !== null && pid !== pidA),
      30_000,
      'the killed worker replaced',
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
