import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CreateInterviewResponseSchema,
  InterviewListResponseSchema,
  JoinResponseSchema,
  LiveStateSchema,
  ReportSchema,
  type LiveState,
} from '../../shared/api/interview-api';
import { DATA_TOPIC } from '../../shared/protocol/data-message';
import { SessionRecordSchema } from '../../shared/record/session-record';
import { makeSample } from '../../shared/scoring/test-fixtures';
import { StorageFullError } from '../storage/errors';
import type { InterviewRepository } from '../storage/interview-repository';
import { openSqliteRepository } from '../storage/sqlite-repository';
import { TEST_API_KEY, TEST_LIVEKIT, createTestApp } from '../testing/test-service';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.cleanup();
});

async function createInterview(candidateHash = 'cand-hash-0001') {
  const res = await t.app.request('/api/interviews', {
    method: 'POST',
    headers: t.auth,
    body: JSON.stringify({ candidate_hash: candidateHash }),
  });
  expect(res.status).toBe(201);
  const body = CreateInterviewResponseSchema.parse(await res.json());
  const candidateToken = new URL(body.candidate_url).pathname.split('/')[2] ?? '';
  const interviewerToken = new URL(body.interviewer_url).pathname.split('/')[2] ?? '';
  return { ...body, candidateToken, interviewerToken };
}

async function sessionFiles(): Promise<string[]> {
  return (await readdir(t.dir)).filter((f) => f.endsWith('.json'));
}

describe('API key', () => {
  test.each([
    ['no header', {}],
    ['wrong key', { authorization: 'Bearer not-the-key-at-all-000000' }],
    ['wrong scheme', { authorization: `Basic ${TEST_API_KEY}` }],
  ])('%s gets 401 and creates nothing', async (_name, headers) => {
    const res = await t.app.request('/api/interviews', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ candidate_hash: 'cand-hash-0001' }),
    });
    expect(res.status).toBe(401);
    expect((await res.json()) as { reason: string }).toHaveProperty('reason');
    expect(await sessionFiles()).toEqual([]);
    const list = await t.app.request('/api/interviews', { headers });
    expect(list.status).toBe(401);
  });
});

describe('creating interviews', () => {
  test('answers 201 with two unguessable links and stores the interview', async () => {
    const created = await createInterview();
    expect(created.status).toBe('created');
    expect(created.candidate_url).toMatch(/^http:\/\/localhost:8787\/c\/[A-Za-z0-9_-]{43}$/);
    expect(created.interviewer_url).toMatch(/^http:\/\/localhost:8787\/i\/[A-Za-z0-9_-]{43}$/);
    expect(created.candidateToken).not.toBe(created.interviewerToken);
    // 43 base64url characters carry 258 bits; the service draws 256 random bits.
    expect(Buffer.from(created.candidateToken, 'base64url')).toHaveLength(32);
    const stored = SessionRecordSchema.parse(await t.repository.readRecord(created.id));
    expect(stored.candidate_hash).toBe('cand-hash-0001');
    // Only hashes of the tokens are stored.
    expect(JSON.stringify(stored)).not.toContain(created.candidateToken);
    expect(JSON.stringify(stored)).not.toContain(created.interviewerToken);
  });

  test.each([
    ['missing candidate_hash', '{}', 'candidate_hash'],
    ['too short', JSON.stringify({ candidate_hash: 'abc' }), 'candidate_hash'],
    ['bad characters', JSON.stringify({ candidate_hash: '../../etc/passwd' }), 'candidate_hash'],
    ['unknown field', JSON.stringify({ candidate_hash: 'cand-hash-0001', name: 'Jane' }), ''],
    ['not JSON', '{oops', ''],
  ])('a malformed body (%s) gets 400 with a reason', async (_name, body, mentions) => {
    const res = await t.app.request('/api/interviews', { method: 'POST', headers: t.auth, body });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { reason: string };
    expect(json.reason.length).toBeGreaterThan(3);
    expect(json.reason).toContain(mentions);
    expect(await sessionFiles()).toEqual([]);
  });

  test('a body over the size limit gets 413', async () => {
    const res = await t.app.request('/api/interviews', {
      method: 'POST',
      headers: t.auth,
      body: JSON.stringify({ candidate_hash: 'x'.repeat(40_000) }),
    });
    expect(res.status).toBe(413);
  });

  test('lists interviews newest first and shows one by id', async () => {
    const a = await createInterview('cand-hash-aaaa');
    const list = await t.app.request('/api/interviews', { headers: t.auth });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { interviews: { id: string }[] };
    expect(body.interviews.map((i) => i.id)).toEqual([a.id]);
    const one = await t.app.request(`/api/interviews/${a.id}`, { headers: t.auth });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: a.id,
      status: 'created',
      interview_summary: null,
    });
  });

  test('interview creation is refused with 503 while LiveKit is down', async () => {
    await t.cleanup();
    t = await createTestApp({ livekitReady: async () => false });
    const res = await t.app.request('/api/interviews', {
      method: 'POST',
      headers: t.auth,
      body: JSON.stringify({ candidate_hash: 'cand-hash-0001' }),
    });
    expect(res.status).toBe(503);
    expect(await sessionFiles()).toEqual([]);
    expect((await t.app.request('/healthz')).status).toBe(503);
  });

  test('an unknown or malformed id gets 404 or 400, never a file path', async () => {
    const unknown = await t.app.request('/api/interviews/3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f', {
      headers: t.auth,
    });
    expect(unknown.status).toBe(404);
    const traversal = await t.app.request('/api/interviews/..%2F..%2Fetc%2Fpasswd', {
      headers: t.auth,
    });
    expect(traversal.status).toBe(400);
  });
});

describe('link tokens', () => {
  const forged = 'A'.repeat(43);
  test.each([
    ['forged token of the right shape', forged],
    ['malformed token', 'not-a-token'],
  ])('%s gets 404 and no LiveKit token', async (_name, token) => {
    await createInterview();
    for (const [method, path] of [
      ['GET', `/api/links/${token}`],
      ['POST', `/api/links/${token}/join`],
      ['GET', `/api/links/${token}/report`],
      ['POST', `/api/links/${token}/complete`],
    ] as const) {
      const res = await t.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.text()).not.toMatch(/eyJ/);
    }
    expect(t.recorders.size).toBe(0);
  });

  test('each link opens its own role in its own room only', async () => {
    const one = await createInterview('cand-hash-0001');
    const two = await createInterview('cand-hash-0002');
    const verifier = new TokenVerifier(TEST_LIVEKIT.apiKey, TEST_LIVEKIT.apiSecret);

    const joinCandidate = JoinResponseSchema.parse(
      await (
        await t.app.request(`/api/links/${one.candidateToken}/join`, { method: 'POST' })
      ).json(),
    );
    expect(joinCandidate.role).toBe('candidate');
    const candidateClaims = await verifier.verify(joinCandidate.token);
    expect(candidateClaims.video).toMatchObject({
      room: `interview-${one.id}`,
      roomJoin: true,
      canPublishData: true,
      canSubscribe: true,
    });
    expect(candidateClaims.video?.canPublishSources).toEqual(['camera', 'microphone']);
    expect(candidateClaims.video?.roomAdmin).toBeFalsy();

    const joinInterviewer = JoinResponseSchema.parse(
      await (
        await t.app.request(`/api/links/${two.interviewerToken}/join`, { method: 'POST' })
      ).json(),
    );
    const interviewerClaims = await verifier.verify(joinInterviewer.token);
    expect(interviewerClaims.video).toMatchObject({
      room: `interview-${two.id}`,
      canPublishData: false,
    });
    expect(interviewerClaims.video?.hidden).toBeFalsy();
    // Short-lived tokens.
    const ttl = (interviewerClaims.exp ?? 0) - (interviewerClaims.nbf ?? 0);
    expect(ttl).toBeLessThanOrEqual(600);

    // The recorder joined both rooms before handing out tokens, and the interviews went live.
    expect([...t.recorders.keys()].sort()).toEqual([one.id, two.id].sort());
    const info: unknown = await (await t.app.request(`/api/links/${one.interviewerToken}`)).json();
    expect(info).toMatchObject({ role: 'interviewer', status: 'live' });
  });

  test("the live view and the report are the interviewer's only", async () => {
    const iv = await createInterview();
    expect((await t.app.request(`/api/links/${iv.candidateToken}/report`)).status).toBe(404);
    expect((await t.app.request(`/api/links/${iv.candidateToken}/live`)).status).toBe(404);
    expect((await t.app.request(`/api/links/${iv.interviewerToken}/report`)).status).toBe(200);
  });
});

describe('completion', () => {
  test('the interviewer ends it; the record is final JSON and the summary is served', async () => {
    const iv = await createInterview();
    await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
    const before = await t.app.request(`/api/interviews/${iv.id}/summary`, { headers: t.auth });
    expect(before.status).toBe(409);

    // The candidate's link can leave and rejoin, never end the interview.
    const byCandidate = await t.app.request(`/api/links/${iv.candidateToken}/complete`, {
      method: 'POST',
    });
    expect(byCandidate.status).toBe(403);
    expect(await byCandidate.json()).toMatchObject({ error: 'ForbiddenError' });
    expect(t.closedRooms).toEqual([]);
    expect(t.interviews.isLive(iv.id)).toBe(true);

    const done = await t.app.request(`/api/links/${iv.interviewerToken}/complete`, {
      method: 'POST',
    });
    expect(done.status).toBe(200);
    expect(t.closedRooms).toEqual([`interview-${iv.id}`]);
    const record = SessionRecordSchema.parse(
      JSON.parse(await readFile(join(t.dir, `${iv.id}.json`), 'utf8')),
    );
    expect(record.status).toBe('completed');
    expect(record.completed_by).toBe('interviewer');
    expect(record.interview_summary?.notice).toMatch(/not a hiring decision/);
    expect(await readdir(t.dir)).not.toContain(`${iv.id}.journal.ndjson`);

    const summary = await t.app.request(`/api/interviews/${iv.id}/summary`, { headers: t.auth });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ id: iv.id, candidate_hash: 'cand-hash-0001' });

    // Completing again is harmless; joining a completed interview is refused.
    expect(
      (await t.app.request(`/api/links/${iv.interviewerToken}/complete`, { method: 'POST' }))
        .status,
    ).toBe(200);
    expect(
      (await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' })).status,
    ).toBe(409);
    const report = ReportSchema.parse(
      await (await t.app.request(`/api/links/${iv.interviewerToken}/report`)).json(),
    );
    expect(report.status).toBe('completed');
  });

  test('the full record is served without the token hashes and can be deleted', async () => {
    const iv = await createInterview();
    const rec = await t.app.request(`/api/interviews/${iv.id}/record`, { headers: t.auth });
    expect(rec.status).toBe(200);
    expect(await rec.json()).not.toHaveProperty('token_hashes');
    const del = await t.app.request(`/api/interviews/${iv.id}`, {
      method: 'DELETE',
      headers: t.auth,
    });
    expect(del.status).toBe(204);
    expect(await sessionFiles()).toEqual([]);
    expect((await t.app.request(`/api/links/${iv.candidateToken}`)).status).toBe(404);
  });
});

describe('review', () => {
  async function withFlag() {
    const iv = await createInterview();
    await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
    const event = {
      type: 'integrity_event',
      v: 1,
      stream: 'stream-test-01',
      seq: 0,
      eventId: 'ev-0001',
      kind: 'paste',
      phase: 'instant',
      startMs: Date.now(),
      endMs: null,
      durationMs: null,
      details: { length: 12 },
    };
    await t.recorders
      .get(iv.id)
      ?.handlePacket(new TextEncoder().encode(JSON.stringify(event)), 'candidate', DATA_TOPIC);
    return iv;
  }
  const review = (token: string, body: unknown, flagId = 'ev-0001') =>
    t.app.request(`/api/links/${token}/flags/${flagId}/review`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('after completion a review from the report recomputes the final summary', async () => {
    const iv = await withFlag();
    await t.app.request(`/api/links/${iv.interviewerToken}/complete`, { method: 'POST' });
    const before = ReportSchema.parse(
      await (await t.app.request(`/api/links/${iv.interviewerToken}/report`)).json(),
    );
    expect(before.flags.map((f) => f.review)).toEqual(['pending']);
    const pasteCost = before.interview_summary?.score_breakdown.find(
      (c) => c.type === 'penalty' && c.kind === 'paste',
    );
    expect(pasteCost?.points).toBeLessThan(0);

    const res = await review(iv.interviewerToken, { decision: 'dismissed', note: 'shared a link' });
    expect(res.status).toBe(200);
    const after = ReportSchema.parse(
      await (await t.app.request(`/api/links/${iv.interviewerToken}/report`)).json(),
    );
    expect(after.flags.map((f) => f.review)).toEqual(['dismissed']);
    expect(after.reviews.map((r) => r.note)).toEqual(['shared a link']);
    expect(after.interview_summary?.flags.paste.dismissed).toBe(1);
    expect(
      after.interview_summary?.score_breakdown.some(
        (c) => c.type === 'penalty' && c.kind === 'paste',
      ),
    ).toBe(false);
    expect(after.interview_summary?.final_score).toBeGreaterThan(
      before.interview_summary?.final_score ?? 100,
    );
    // The dashboard's list shows the recomputed score; the stored file holds the decision.
    const listed = (await (await t.app.request('/api/interviews', { headers: t.auth })).json()) as {
      interviews: { final_score: number }[];
    };
    expect(listed.interviews[0]?.final_score).toBe(after.interview_summary?.final_score);
    const stored = SessionRecordSchema.parse(
      JSON.parse(await readFile(join(t.dir, `${iv.id}.json`), 'utf8')),
    );
    expect(stored.reviews).toHaveLength(1);
  });

  test('the candidate cannot review, and unknown flags are 404', async () => {
    const iv = await withFlag();
    expect((await review(iv.candidateToken, { decision: 'dismissed' })).status).toBe(404);
    expect((await review(iv.interviewerToken, { decision: 'confirmed' }, 'ev-9999')).status).toBe(
      404,
    );
    await t.app.request(`/api/links/${iv.interviewerToken}/complete`, { method: 'POST' });
    expect((await review(iv.interviewerToken, { decision: 'confirmed' }, 'ev-9999')).status).toBe(
      404,
    );
  });

  test('the live state carries the interview start shared with the report', async () => {
    const iv = await withFlag();
    const live = t.interviews.liveState(iv.id);
    expect(live.start_ms).toBe(live.flags[0]?.startMs);
    await t.app.request(`/api/links/${iv.interviewerToken}/complete`, { method: 'POST' });
    const report = ReportSchema.parse(
      await (await t.app.request(`/api/links/${iv.interviewerToken}/report`)).json(),
    );
    expect(report.start_ms).toBe(live.start_ms);
  });

  test('the dashboard reads the report by id with the API key', async () => {
    const iv = await withFlag();
    await t.app.request(`/api/links/${iv.interviewerToken}/complete`, { method: 'POST' });
    const res = await t.app.request(`/api/interviews/${iv.id}/report`, { headers: t.auth });
    expect(res.status).toBe(200);
    expect(ReportSchema.parse(await res.json()).flags).toHaveLength(1);
    expect((await t.app.request(`/api/interviews/${iv.id}/report`)).status).toBe(401);
  });
});

describe('service endpoints', () => {
  test('healthz reports readiness', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ok: true,
      server: true,
      livekit: true,
      recorder: true,
      storage: true,
    });
  });

  test('openapi document describes the parent-system API', async () => {
    const res = await t.app.request('/api/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/api/interviews/{id}/summary');
  });

  test('responses carry a no-referrer policy, since tokens live in paths', async () => {
    const res = await t.app.request('/healthz');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});

describe('speaker reports', () => {
  test('both pages report active speakers; the recorder merges them into one set of intervals', async () => {
    const iv = await createInterview();
    await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
    const post = (token: string, body: unknown) =>
      t.app.request(`/api/links/${token}/speakers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post(iv.interviewerToken, { active: ['candidate'] })).status).toBe(204);
    expect((await post(iv.interviewerToken, { active: [] })).status).toBe(204);
    expect(
      t.recorders
        .get(iv.id)
        ?.snapshot()
        .speakers.map((s) => s.role),
    ).toEqual(['candidate']);
    // The candidate's page reports too; both views merge into one set of intervals.
    expect((await post(iv.candidateToken, { active: ['interviewer'] })).status).toBe(204);
    expect((await post(iv.interviewerToken, { active: ['interviewer'] })).status).toBe(204);
    expect((await post(iv.candidateToken, { active: [] })).status).toBe(204);
    // Still speaking as the interviewer's page hears it: the interval stays open.
    expect(t.recorders.get(iv.id)?.liveState().active_speakers).toEqual(['interviewer']);
    expect((await post(iv.interviewerToken, { active: [] })).status).toBe(204);
    expect(
      t.recorders
        .get(iv.id)
        ?.snapshot()
        .speakers.map((s) => s.role),
    ).toEqual(['candidate', 'interviewer']);
    // Only link holders report, and only well-formed lists.
    expect((await post('not-a-real-token-0000000000', { active: [] })).status).toBe(404);
    expect((await post(iv.interviewerToken, { active: ['recorder'] })).status).toBe(400);
    expect((await post(iv.interviewerToken, { active: 'candidate' })).status).toBe(400);
  });
});

describe('live view', () => {
  test("the interviewer's stream pushes the live state at once when a flag arrives", async () => {
    const iv = await createInterview();
    await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
    const res = await t.app.request(`/api/links/${iv.interviewerToken}/live`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no body');
    const decoder = new TextDecoder();
    const nextLiveState = async (): Promise<LiveState> => {
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        text += decoder.decode(value);
        const match = /event: live\ndata: (.*)\n/.exec(text);
        if (match?.[1]) return LiveStateSchema.parse(JSON.parse(match[1]));
      }
    };
    expect((await nextLiveState()).flags).toEqual([]);
    const recorder = t.recorders.get(iv.id);
    const event = {
      type: 'integrity_event',
      v: 1,
      stream: 'stream-test-01',
      seq: 0,
      eventId: 'ev-0001',
      kind: 'paste',
      phase: 'instant',
      startMs: Date.now(),
      endMs: null,
      durationMs: null,
      details: { length: 12 },
    };
    await recorder?.handlePacket(
      new TextEncoder().encode(JSON.stringify(event)),
      'candidate',
      DATA_TOPIC,
    );
    const pushed = await nextLiveState();
    expect(pushed.flags.map((f) => f.kind)).toEqual(['paste']);
    await reader.cancel();
  });
});

describe('listing by candidate and status', () => {
  test('answers from the index, newest first, page by page; a forged cursor is a 400', async () => {
    const mine: string[] = [];
    // created_at has millisecond resolution and ties go by id: space creations apart so that
    // "newest first" is the order they were made in.
    const nextMs = () => new Promise((resolve) => setTimeout(resolve, 3));
    for (let i = 0; i < 5; i += 1) {
      mine.push((await createInterview('cand-list-0001')).id);
      await nextMs();
    }
    await createInterview('cand-list-0002');
    await nextMs();
    const live = await createInterview('cand-list-0001');
    await t.app.request(`/api/links/${live.candidateToken}/join`, { method: 'POST' });
    mine.push(live.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `candidate_hash=cand-list-0001&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.request(`/api/interviews?${query}`, { headers: t.auth });
      expect(res.status).toBe(200);
      const page = InterviewListResponseSchema.parse(await res.json());
      expect(page.interviews.length).toBeLessThanOrEqual(2);
      seen.push(...page.interviews.map((i) => i.id));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seen).toEqual([...mine].reverse());

    const res = await t.app.request('/api/interviews?candidate_hash=cand-list-0001&status=live', {
      headers: t.auth,
    });
    const page = InterviewListResponseSchema.parse(await res.json());
    expect(page.interviews.map((i) => [i.id, i.status])).toEqual([[live.id, 'live']]);

    for (const bad of ['status=done', 'limit=0', 'limit=1000', 'cursor=bm90LWEtY3Vyc29y', 'x=1']) {
      const refused = await t.app.request(`/api/interviews?${bad}`, { headers: t.auth });
      expect(refused.status, bad).toBe(400);
    }
  });
});

describe('storage failures', () => {
  /** The test app over a SQLite store whose writes can be made to fail as on a full disk. */
  async function withFullDisk() {
    const dbDir = await mkdtemp(join(tmpdir(), 'li-full-'));
    const sqlite = await openSqliteRepository({ path: join(dbDir, 'db.sqlite') });
    let full = false;
    const failing =
      <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
      (...args: A): Promise<R> =>
        full ? Promise.reject(new StorageFullError()) : write(...args);
    const repository: InterviewRepository = Object.create(sqlite) as InterviewRepository;
    Object.assign(repository, {
      create: failing(sqlite.create.bind(sqlite)),
      append: failing(sqlite.append.bind(sqlite)),
      complete: failing(sqlite.complete.bind(sqlite)),
      probe: failing(sqlite.probe.bind(sqlite)),
    });
    const app = await createTestApp({ repository });
    return {
      app,
      setFull: (value: boolean) => (full = value),
      cleanup: async () => {
        await app.cleanup();
        await rm(dbDir, { recursive: true, force: true });
      },
    };
  }

  test('a full disk: 503s naming storage, healthz 503, nothing acknowledged, recovery when space returns', async () => {
    const f = await withFullDisk();
    t = f.app;
    try {
      const iv = await createInterview();
      await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
      const recorder = t.recorders.get(iv.id);
      if (!recorder) throw new Error('no recorder');
      const acks: unknown[] = [];
      await recorder.attach(async (message) => {
        if (message.type === 'ack') acks.push(message);
      });
      const packet = (seq: number) =>
        new TextEncoder().encode(
          JSON.stringify(
            makeSample({ stream: 'stream-full-01', seq, windowStartMs: Date.now() - 2000 }),
          ),
        );
      expect(await recorder.handlePacket(packet(0), 'candidate', DATA_TOPIC)).toBe('stored');
      expect(acks).toHaveLength(1);

      f.setFull(true);
      const created = await t.app.request('/api/interviews', {
        method: 'POST',
        headers: t.auth,
        body: JSON.stringify({ candidate_hash: 'cand-hash-0002' }),
      });
      expect(created.status).toBe(503);
      expect(await created.json()).toEqual({
        error: 'StorageFullError',
        reason: expect.stringMatching(/^storage is full/) as unknown,
      });
      // A sample that cannot be committed is not acknowledged: the candidate keeps it.
      await expect(recorder.handlePacket(packet(1), 'candidate', DATA_TOPIC)).rejects.toThrow(
        StorageFullError,
      );
      expect(acks).toHaveLength(1);
      const health = await t.app.request('/healthz');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        ok: false,
        storage: false,
        reason: /storage is full/,
      });
      // Completion fails, and the interview stays live with its recorder.
      const done = await t.app.request(`/api/interviews/${iv.id}/complete`, {
        method: 'POST',
        headers: t.auth,
      });
      expect(done.status).toBe(503);
      expect(t.interviews.isLive(iv.id)).toBe(true);

      f.setFull(false);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await t.app.request('/healthz')).status).toBe(200);
      // The candidate re-sends; now it is stored and acknowledged, and completion goes through.
      expect(await recorder.handlePacket(packet(1), 'candidate', DATA_TOPIC)).toBe('stored');
      expect(acks).toHaveLength(2);
      const retried = await t.app.request(`/api/interviews/${iv.id}/complete`, {
        method: 'POST',
        headers: t.auth,
      });
      expect(retried.status).toBe(200);
      const record = SessionRecordSchema.parse(
        JSON.parse(await readFile(join(t.dir, `${iv.id}.json`), 'utf8')),
      );
      expect(record.samples.map((s) => s.seq)).toEqual([0, 1]);
      expect((await readdir(t.dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      await f.cleanup();
      t = await createTestApp();
    }
  });
});
