import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JournalEntry } from '../../shared/record/journal-entry';
import { newSessionRecord, type SessionRecord } from '../../shared/record/session-record';
import { T0_MS, makeSample } from '../../shared/scoring/test-fixtures';
import { StorageFullError } from './errors';
import type { InterviewHeader, InterviewRepository } from './interview-repository';
import { LATEST_SCHEMA_VERSION } from './migrations';

/**
 * One behaviour, two backends: `sqlite-repository.test.ts` and `postgres-repository.test.ts`
 * run this same suite, each with a harness that opens its backend, simulates a full disk and
 * names the store for a child process.
 */
export interface RepositoryHarness {
  /** A fresh, empty store (migrated up to `schemaVersion`, by default the latest). */
  fresh(options?: { schemaVersion?: number }): Promise<{ repo: InterviewRepository; name: string }>;
  /** Opens an existing store again, as a restarted server would. */
  reopen(name: string, options?: { schemaVersion?: number }): Promise<InterviewRepository>;
  /** Makes every write that needs new space fail as on a full disk; `free` undoes it. */
  fillDisk(repo: InterviewRepository, name: string): Promise<void>;
  freeDisk(repo: InterviewRepository, name: string): Promise<void>;
  /** Crashes the database server itself, where there is one (Postgres), and restarts it. */
  crashServer?: () => Promise<void>;
  teardown(): Promise<void>;
}

let serial = 0;
export function header(overrides: Partial<InterviewHeader> = {}): InterviewHeader {
  serial += 1;
  const createdAt = new Date(T0_MS + serial * 1000);
  const { samples, events, reviews, speakers, connection, rejected, ...rest } = newSessionRecord({
    id: randomUUID(),
    candidateHash: 'cand-hash-0001',
    createdAt,
    retainUntil: new Date(createdAt.getTime() + 86_400_000),
    tokenHashes: { candidate: `c-${randomUUID()}`, interviewer: `i-${randomUUID()}` },
  });
  return { ...rest, ...overrides };
}

function sampleEntry(seq: number, stream = 'stream-a'): JournalEntry {
  return {
    entry: 'sample',
    sample: {
      ...makeSample({
        seq,
        stream,
        windowStartMs: T0_MS + seq * 1000,
        windowEndMs: T0_MS + (seq + 1) * 1000,
      }),
      receivedAtMs: T0_MS + seq * 1000 + 50,
    },
  };
}

function eventEntry(seq: number, stream = 'stream-a'): JournalEntry {
  return {
    entry: 'event',
    event: {
      type: 'integrity_event',
      v: 1,
      stream,
      seq,
      eventId: `ev-${String(seq).padStart(4, '0')}`,
      kind: 'page_hidden',
      phase: 'instant',
      startMs: T0_MS + seq * 1000,
      endMs: null,
      durationMs: null,
      details: {},
      receivedAtMs: T0_MS + seq * 1000 + 20,
    },
  };
}

const CHILD = fileURLToPath(new URL('../testing/append-until-killed.ts', import.meta.url));

/** Runs the child appender, kills it with SIGKILL after `afterCommits` commits, returns the last seq it reported. */
async function appendThenKill(name: string, id: string, afterCommits: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, name, id], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  let last = -1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const line of lines) {
    const match = /^committed (\d+)$/.exec(line);
    if (!match) continue;
    last = Number(match[1]);
    if (last + 1 >= afterCommits) {
      // Killed right after a commit was reported: nothing is flushed on the way out.
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  if (last < 0) throw new Error(`child committed nothing: ${stderr}`);
  return last;
}

export function describeRepositoryContract(
  backend: string,
  makeHarness: () => Promise<RepositoryHarness>,
): void {
  describe(`${backend} interview repository`, () => {
    let harness: RepositoryHarness;
    let repo: InterviewRepository;
    let name: string;

    beforeAll(async () => {
      harness = await makeHarness();
      ({ repo, name } = await harness.fresh());
    }, 120_000);
    afterAll(async () => {
      await repo.close();
      await harness.teardown();
    }, 60_000);

    test('a created interview reads back exactly, with empty arrays', async () => {
      const h = header();
      await repo.create(h);
      expect(await repo.get(h.id)).toEqual(h);
      const record = await repo.readRecord(h.id);
      expect(record?.samples).toEqual([]);
      expect(record?.id).toBe(h.id);
      expect(await repo.get(randomUUID())).toBeNull();
      expect(await repo.readRecord(randomUUID())).toBeNull();
    });

    test('a duplicate sample or event is a no-op, and entries keep their arrival order', async () => {
      const h = header();
      await repo.create(h);
      expect(await repo.append(h.id, [sampleEntry(2), sampleEntry(0), eventEntry(1)])).toEqual([
        true,
        true,
        true,
      ]);
      // Redelivered copies (same stream and seq) change nothing, even with other contents.
      const resent = sampleEntry(2);
      if (resent.entry === 'sample') resent.sample = { ...resent.sample, receivedAtMs: 1 };
      expect(await repo.append(h.id, [resent, eventEntry(1), sampleEntry(1)])).toEqual([
        false,
        false,
        true,
      ]);
      // Same seq on another stream is a different message; a copy in the same batch is not.
      expect(
        await repo.append(h.id, [sampleEntry(2, 'stream-b'), sampleEntry(2, 'stream-b')]),
      ).toEqual([true, false]);
      await repo.append(h.id, [
        { entry: 'review', review: { flagId: 'ev-0001', decision: 'confirmed', atMs: 5 } },
        { entry: 'speaker', interval: { role: 'candidate', startMs: 1, endMs: 2 } },
        { entry: 'connection', note: { atMs: 3, identity: 'candidate', quality: 'good' } },
        { entry: 'rejected', rejection: { atMs: 4, identity: 'x', reason: 'bad packet' } },
        { entry: 'review', review: { flagId: 'ev-0001', decision: 'dismissed', atMs: 6 } },
      ]);
      const record = await repo.readRecord(h.id);
      expect(record?.samples.map((s) => [s.stream, s.seq, s.receivedAtMs])).toEqual([
        ['stream-a', 2, T0_MS + 2050],
        ['stream-a', 0, T0_MS + 50],
        ['stream-a', 1, T0_MS + 1050],
        ['stream-b', 2, T0_MS + 2050],
      ]);
      expect(record?.events.map((e) => e.seq)).toEqual([1]);
      expect(record?.reviews.map((r) => r.decision)).toEqual(['confirmed', 'dismissed']);
      expect(record?.speakers).toHaveLength(1);
      expect(record?.connection).toHaveLength(1);
      expect(record?.rejected[0]?.reason).toBe('bad packet');
    });

    test('token hashes find their interview and role; unknown ones find nothing', async () => {
      const h = header();
      await repo.create(h);
      expect(await repo.findByTokenHash(h.token_hashes.candidate)).toEqual({
        id: h.id,
        role: 'candidate',
      });
      expect(await repo.findByTokenHash(h.token_hashes.interviewer)).toEqual({
        id: h.id,
        role: 'interviewer',
      });
      expect(await repo.findByTokenHash('nope')).toBeNull();
    });

    test('listing filters by candidate and status, newest first, page by page', async () => {
      const candidate = `cand-${randomUUID().slice(0, 8)}`;
      const mine: InterviewHeader[] = [];
      for (let i = 0; i < 7; i += 1) {
        const h = header({ candidate_hash: candidate });
        mine.push(h);
        await repo.create(h);
        if (i % 2 === 0) await repo.markLive(h.id, h.created_at);
      }
      await repo.create(header());
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await repo.list({ candidate_hash: candidate, limit: 3, cursor });
        seen.push(...page.items.map((i) => i.id));
        expect(page.items.length).toBeLessThanOrEqual(3);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(mine.map((h) => h.id).reverse());
      const live = await repo.list({ candidate_hash: candidate, status: 'live' });
      expect(live.items.map((i) => i.id)).toEqual(
        mine
          .filter((_, i) => i % 2 === 0)
          .map((h) => h.id)
          .reverse(),
      );
      expect(live.items.every((i) => i.status === 'live')).toBe(true);
      expect(live.nextCursor).toBeNull();
      const liveIds = (await repo.listLive()).map((h) => h.id);
      for (const item of live.items) expect(liveIds).toContain(item.id);
    });

    test('completion stores the outcome (with the questions); retention lists and removes everything', async () => {
      const h = header();
      await repo.create(h);
      await repo.markLive(h.id, '2026-01-01T00:00:00.000Z');
      await repo.append(h.id, [sampleEntry(0)]);
      const record = await repo.readRecord(h.id);
      if (!record) throw new Error('record missing');
      const completed: SessionRecord = {
        ...record,
        status: 'completed',
        completed_at: '2026-01-01T01:00:00.000Z',
        completed_by: 'api',
        clock_offset_ms: 12.5,
        score_timeline: [{ tMs: T0_MS, score: 90, coverage: 1 }],
        // Per-question evidence is part of the outcome the report shows.
        questions: [
          {
            index: 1,
            askedAtMs: T0_MS,
            questionEndMs: T0_MS + 4_000,
            answerStartMs: T0_MS + 5_200,
            answerEndMs: T0_MS + 20_000,
            onsetLatencyMs: 1_200,
            baselineLatencyMs: null,
            reading: [],
            readingMs: 0,
            gazeRegion: null,
            flags: [],
          },
        ],
      };
      await repo.complete(completed);
      expect(await repo.readRecord(h.id)).toEqual(completed);
      const expired = await repo.listExpired('9999-01-01T00:00:00.000Z', 10_000);
      expect(expired).toContain(h.id);
      await repo.remove(h.id);
      expect(await repo.readRecord(h.id)).toBeNull();
    });

    test('migrations are versioned and idempotent; data survives reopening', async () => {
      const old = await harness.fresh({ schemaVersion: 1 });
      expect(await old.repo.schemaVersion()).toBe(1);
      await old.repo.close();
      const upgraded = await harness.reopen(old.name);
      expect(await upgraded.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      const h = header();
      await upgraded.create(h);
      await upgraded.close();
      const again = await harness.reopen(old.name);
      expect(await again.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
      expect(await again.get(h.id)).toEqual(h);
      await again.close();
    });

    test('a full disk fails the write with StorageFullError and loses nothing committed', async () => {
      const h = header();
      await repo.create(h);
      await repo.append(h.id, [sampleEntry(0), sampleEntry(1)]);
      await harness.fillDisk(repo, name);
      const batch = Array.from({ length: 2000 }, (_, i) => sampleEntry(i + 2));
      try {
        const failure = await repo.append(h.id, batch).then(
          () => null,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(StorageFullError);
        expect((failure as StorageFullError).reason).toMatch(/^storage is full/);
        expect((failure as StorageFullError).status).toBe(503);
      } finally {
        await harness.freeDisk(repo, name);
      }
      // The failed transaction left nothing half-written; what was committed is there.
      expect((await repo.readRecord(h.id))?.samples.map((s) => s.seq)).toEqual([0, 1]);
      // Space is back: the same batch goes through.
      const stored = await repo.append(h.id, batch);
      expect(stored.every(Boolean)).toBe(true);
      expect((await repo.readRecord(h.id))?.samples).toHaveLength(2002);
    }, 60_000);

    test('a process killed with SIGKILL right after a commit keeps every committed row', async () => {
      const h = header();
      await repo.create(h);
      const last = await appendThenKill(name, h.id, 25);
      const reopened = await harness.reopen(name);
      try {
        const seqs = (await reopened.readRecord(h.id))?.samples.map((s) => s.seq) ?? [];
        // Everything reported committed is there; one more may have committed unreported.
        expect(seqs.slice(0, last + 1)).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
      } finally {
        await reopened.close();
      }
    }, 60_000);

    test('a crash of the database server itself keeps every committed row', async () => {
      if (harness.crashServer === undefined) {
        // SQLite has no server: the SIGKILL test above is its crash.
        expect(backend).toBe('sqlite');
        return;
      }
      const h = header();
      await repo.create(h);
      await repo.append(h.id, [sampleEntry(0), sampleEntry(1), eventEntry(2)]);
      await harness.crashServer();
      const reopened = await harness.reopen(name);
      try {
        const record = await reopened.readRecord(h.id);
        expect(record?.samples.map((s) => s.seq)).toEqual([0, 1]);
        expect(record?.events.map((e) => e.seq)).toEqual([2]);
      } finally {
        await reopened.close();
      }
      // The pool of the repository that lived through the crash reconnects on its own.
      await expect(repo.append(h.id, [sampleEntry(3)])).resolves.toEqual([true]);
    }, 60_000);
  });
}
