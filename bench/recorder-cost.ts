/**
 * Per-packet cost of the recorder at two interview ages, in-process (no LiveKit): a recorder is
 * loaded with a synthetic history (1 min and 2 h of one-second samples, with flags, reviews and
 * speech), then N further samples go through handlePacket (validation, de-duplication, a real
 * SQLite commit, the live score) and a live-state push after each (identity check on, so the push
 * carries the identity trace too). Prints mean and p95 per
 * packet and per push. `npx tsx bench/recorder-cost.ts`
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_POLICY } from '../shared/policy/policy';
import { DATA_TOPIC } from '../shared/protocol/data-message';
import { newSessionRecord, type SessionRecord } from '../shared/record/session-record';
import { makeSample } from '../shared/scoring/test-fixtures';
import { silentLogger } from '../server/log/logger';
import { SessionRecorder } from '../server/recorder/session-recorder';
import { openSqliteRepository } from '../server/storage/sqlite-repository';

const PACKETS = 300;
const STREAM = 'stream-bench-01';

function history(ageS: number, t0: number): SessionRecord {
  const id = randomUUID();
  const record = newSessionRecord({
    id,
    candidateHash: 'cand-bench-0001',
    createdAt: new Date(t0),
    retainUntil: new Date(t0 + 86_400_000),
    tokenHashes: { candidate: `c-${id}`, interviewer: `i-${id}` },
    // On, so each push also carries the identity trace (kept incrementally, like the score).
    identityCheck: true,
  });
  const samples = Array.from({ length: ageS }, (_, seq) => ({
    ...makeSample({
      stream: STREAM,
      seq,
      windowStartMs: t0 + seq * 1000,
      windowEndMs: t0 + (seq + 1) * 1000,
      focusConsistency: 0.8 + 0.2 * Math.sin(seq),
      identitySimilarity: 0.9 + 0.05 * Math.cos(seq),
    }),
    receivedAtMs: t0 + (seq + 1) * 1000 + 40,
  }));
  // A flag every 30 s (start and end), a dismissal of every fifth, speech every 20 s.
  const events = Array.from({ length: Math.floor(ageS / 30) }, (_, k) => ({
    type: 'integrity_event' as const,
    v: 1 as const,
    stream: 'stream-bench-ev',
    seq: k,
    eventId: `ev-${String(k)}`,
    kind: 'looking_away' as const,
    phase: 'end' as const,
    startMs: t0 + k * 30_000,
    endMs: t0 + k * 30_000 + 3000,
    durationMs: 3000,
    details: {},
    receivedAtMs: t0 + k * 30_000 + 3100,
  }));
  const reviews = events
    .filter((_, k) => k % 5 === 0)
    .map((e) => ({ flagId: e.eventId, decision: 'dismissed' as const, atMs: e.receivedAtMs }));
  const speakers = Array.from({ length: Math.floor(ageS / 20) }, (_, k) => ({
    role: k % 2 === 0 ? ('candidate' as const) : ('interviewer' as const),
    startMs: t0 + k * 20_000,
    endMs: t0 + k * 20_000 + 8000,
  }));
  return {
    ...record,
    identity_check: { enabled: true, consented_at: record.created_at },
    status: 'live',
    started_at: record.created_at,
    samples,
    events,
    reviews,
    speakers,
  };
}

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN;
  return `mean ${mean.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms`;
}

async function measure(ageS: number, dir: string, commit: boolean): Promise<void> {
  const t0 = Date.now() - ageS * 1000 - 1000;
  const record = history(ageS, t0);
  const repo = await openSqliteRepository({ path: join(dir, `age-${String(ageS)}.sqlite`) });
  const { samples, events, reviews, speakers, connection, rejected, ...header } = record;
  await repo.create(header);
  await repo.append(record.id, [
    ...samples.map((sample) => ({ entry: 'sample' as const, sample })),
    ...events.map((event) => ({ entry: 'event' as const, event })),
  ]);
  let now = t0 + (ageS + 1) * 1000;
  const loadStart = performance.now();
  const recorder = new SessionRecorder({
    record,
    persist: async (entry) => {
      if (commit) await repo.append(record.id, [entry]);
    },
    now: () => now,
    policy: DEFAULT_POLICY,
    log: silentLogger,
    rateLimit: { ratePerS: 1e6, capacity: 1e6 },
  });
  const loadMs = performance.now() - loadStart;
  await recorder.attach(() => Promise.resolve());
  recorder.liveState();
  const packetMs: number[] = [];
  const pushMs: number[] = [];
  for (let i = 0; i < PACKETS; i += 1) {
    const seq = ageS + i;
    now += 1000;
    const payload = new TextEncoder().encode(
      JSON.stringify(
        makeSample({
          stream: STREAM,
          seq,
          windowStartMs: now - 1040,
          windowEndMs: now - 40,
          identitySimilarity: 0.91,
        }),
      ),
    );
    const a = performance.now();
    const outcome = await recorder.handlePacket(payload, 'candidate', DATA_TOPIC);
    const b = performance.now();
    recorder.liveState();
    const c = performance.now();
    if (outcome !== 'stored') throw new Error(`packet ${String(seq)}: ${outcome}`);
    packetMs.push(b - a);
    pushMs.push(c - b);
  }
  console.log(
    `age ${ageS >= 3600 ? `${String(ageS / 3600)} h` : `${String(ageS / 60)} min`} (${String(ageS)} samples, ${String(events.length)} flags): ` +
      `${commit ? 'with' : 'without'} the SQLite commit: packet ${stats(packetMs)}; live-state push ${stats(pushMs)}; recorder load ${loadMs.toFixed(1)} ms`,
  );
  await repo.close();
}

const dir = await mkdtemp(join(tmpdir(), 'li-bench-'));
try {
  for (const commit of [false, true]) {
    await measure(60, dir, commit);
    await measure(7200, dir, commit);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
