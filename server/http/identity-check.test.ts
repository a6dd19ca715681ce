import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CreateInterviewResponseSchema,
  JoinResponseSchema,
  LinkInfoSchema,
} from '../../shared/api/interview-api';
import { SessionRecordSchema } from '../../shared/record/session-record';
import { createTestApp } from '../testing/test-service';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.cleanup();
});

async function create(body: Record<string, unknown>) {
  const res = await t.app.request('/api/interviews', {
    method: 'POST',
    headers: t.auth,
    body: JSON.stringify({ candidate_hash: 'cand-hash-0001', ...body }),
  });
  return res;
}

async function created(identityCheck?: boolean) {
  const res = await create(identityCheck === undefined ? {} : { identity_check: identityCheck });
  expect(res.status).toBe(201);
  const body = CreateInterviewResponseSchema.parse(await res.json());
  return {
    ...body,
    candidateToken: new URL(body.candidate_url).pathname.split('/')[2] ?? '',
    interviewerToken: new URL(body.interviewer_url).pathname.split('/')[2] ?? '',
  };
}

const readRecord = async (id: string) =>
  SessionRecordSchema.parse(await t.repository.readRecord(id));

describe('identity check: opt-in and consent', () => {
  test('is off by default and then needs no consent', async () => {
    const iv = await created();
    const info = LinkInfoSchema.parse(
      await (await t.app.request(`/api/links/${iv.candidateToken}`)).json(),
    );
    expect(info.identity_check).toBe(false);
    const res = await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect((await readRecord(iv.id)).identity_check).toEqual({
      enabled: false,
      consented_at: null,
    });
  });

  test('a non-boolean identity_check is refused with a reason', async () => {
    const res = await create({ identity_check: 'yes' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { reason: string }).reason).toMatch(/identity_check/);
  });

  test('when on, the candidate cannot join without consent; with it the record keeps the time', async () => {
    const iv = await created(true);
    const info = LinkInfoSchema.parse(
      await (await t.app.request(`/api/links/${iv.candidateToken}`)).json(),
    );
    expect(info.identity_check).toBe(true);

    for (const body of [undefined, '{}', '{"identity_consent":false}']) {
      const refused = await t.app.request(`/api/links/${iv.candidateToken}/join`, {
        method: 'POST',
        ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
      });
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { reason: string }).reason).toMatch(/agree/);
    }
    expect((await readRecord(iv.id)).identity_check?.consented_at).toBeNull();

    const before = Date.now();
    const joined = await t.app.request(`/api/links/${iv.candidateToken}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity_consent: true }),
    });
    expect(joined.status).toBe(200);
    JoinResponseSchema.parse(await joined.json());
    const setting = (await readRecord(iv.id)).identity_check;
    expect(setting?.enabled).toBe(true);
    expect(Date.parse(setting?.consented_at ?? '')).toBeGreaterThanOrEqual(before - 1000);

    // A later join (reload) needs no second tick.
    const again = await t.app.request(`/api/links/${iv.candidateToken}/join`, { method: 'POST' });
    expect(again.status).toBe(200);
  });

  test('consent given after the interviewer started the room is kept to the final record', async () => {
    const iv = await created(true);
    const interviewer = await t.app.request(`/api/links/${iv.interviewerToken}/join`, {
      method: 'POST',
    });
    expect(interviewer.status).toBe(200);
    const joined = await t.app.request(`/api/links/${iv.candidateToken}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity_consent: true }),
    });
    expect(joined.status).toBe(200);
    const done = await t.app.request(`/api/interviews/${iv.id}/complete`, {
      method: 'POST',
      headers: t.auth,
    });
    expect(done.status).toBe(200);
    const setting = (await readRecord(iv.id)).identity_check;
    expect(setting?.enabled).toBe(true);
    expect(setting?.consented_at).not.toBeNull();
  });

  test('a malformed join body is refused', async () => {
    const iv = await created(true);
    const res = await t.app.request(`/api/links/${iv.candidateToken}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"identity_consent":true,"descriptor":[0.1,0.2]}',
    });
    expect(res.status).toBe(400);
  });

  test('the OpenAPI document shows the field', async () => {
    const doc = JSON.stringify(await (await t.app.request('/api/openapi.json')).json());
    expect(doc).toContain('identity_check');
  });

  test('records written before the check existed still load', () => {
    const old = {
      schema: 'live-interview/session',
      version: 1,
      id: '7d3f6c1e-2b1a-4c1e-9f0a-1a2b3c4d5e6f',
      candidate_hash: 'cand-hash-0001',
      status: 'created',
      created_at: '2026-01-01T00:00:00.000Z',
      started_at: null,
      completed_at: null,
      retain_until: '2026-02-01T00:00:00.000Z',
      token_hashes: { candidate: 'a', interviewer: 'b' },
      completed_by: null,
      clock_offset_ms: null,
      samples: [],
      events: [],
      flags: [],
      reviews: [],
      speakers: [],
      connection: [],
      rejected: [],
      score_timeline: [],
      interview_summary: null,
    };
    expect(SessionRecordSchema.safeParse(old).success).toBe(true);
  });
});
