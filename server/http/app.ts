import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import {
  CreateInterviewRequestSchema,
  InterviewListQuerySchema,
  JoinRequestSchema,
  LinkTokenSchema,
  ReviewRequestSchema,
  SpeakersReportSchema,
  type CreateInterviewResponse,
  type Report,
} from '../../shared/api/interview-api';
import { InterviewIdSchema, type SessionRecord } from '../../shared/record/session-record';
import { identityTraceOf } from '../../shared/api/identity-trace';
import { formatIssues } from '../../shared/protocol/data-message';
import {
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnavailableError,
  ValidationError,
} from '../errors/errors';
import type { InterviewService } from '../interviews/interview-service';
import type { Logger } from '../log/logger';
import { requireApiKey } from './api-key';
import { errorHandler } from './error-handler';
import { buildOpenApiDocument } from './openapi';
import { validate } from './validate';

export interface AppDeps {
  interviews: InterviewService;
  apiKey: string;
  log: Logger;
  /** Readiness of LiveKit itself, asked on every /healthz. */
  livekitReady: () => Promise<boolean>;
  /** Whether storage accepts writes (a reason naming storage when not), asked on every /healthz. */
  storageStatus?: () => Promise<{ ok: boolean; reason: string | null }>;
  /** Static routes (web app, model, wasm), mounted last; absent in API-only tests. */
  mountStatic?: (app: Hono) => void;
  liveStateIntervalMs?: number;
}

/** The live view is pushed on every change, but not more often than this. */
const LIVE_PUSH_MIN_GAP_MS = 50;

/** Request bodies are tiny JSON documents; anything bigger is refused before parsing. */
const MAX_BODY_BYTES = 16 * 1024;

const IdParam = z.object({ id: InterviewIdSchema });
/** A malformed link token is as unknown as a forged one: 404, never a hint about the format. */
const LinkToken = LinkTokenSchema.catch('');
const TokenParam = z.object({ token: LinkToken });
const FlagParam = z.object({ token: LinkToken, flagId: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/) });

/** One app factory for production and tests (tests call `app.request()` on it). */
export function createApp(deps: AppDeps): Hono {
  const { interviews } = deps;
  const app = new Hono();
  app.onError(errorHandler(deps.log));

  app.use(
    '*',
    secureHeaders({
      // Link tokens live in the path: never send them on as a referrer.
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false,
      permissionsPolicy: { camera: ['self'], microphone: ['self'], fullscreen: ['self'] },
    }),
  );
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new PayloadTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.get('/healthz', async (c) => {
    const livekit = await deps.livekitReady().catch(() => false);
    const recorder = interviews.isReady;
    const storage = (await deps.storageStatus?.()) ?? { ok: true, reason: null };
    const ok = livekit && recorder && storage.ok;
    return c.json(
      {
        ok,
        server: true,
        livekit,
        recorder,
        storage: storage.ok,
        ...(storage.reason === null ? {} : { reason: storage.reason }),
      },
      ok ? 200 : 503,
    );
  });

  app.get('/api/openapi.json', (c) => c.json(buildOpenApiDocument()));

  // ---- Parent-system API: every route needs the API key. ----
  const api = new Hono();
  api.use('*', requireApiKey(deps.apiKey));
  api.post('/', validate('json', CreateInterviewRequestSchema), async (c) => {
    const { candidate_hash, identity_check } = c.req.valid('json');
    // An interview nobody can join is worse than none: refuse while LiveKit is down.
    if (!(await deps.livekitReady().catch(() => false)))
      throw new UnavailableError('the media server (LiveKit) is not reachable; try again shortly');
    const created = await interviews.create(candidate_hash, { identityCheck: identity_check });
    const body: CreateInterviewResponse = {
      id: created.id,
      candidate_url: created.candidateUrl,
      interviewer_url: created.interviewerUrl,
      status: created.status,
    };
    return c.json(body, 201);
  });
  api.get('/', validate('query', InterviewListQuerySchema), async (c) =>
    c.json(await interviews.list(c.req.valid('query'))),
  );
  api.get('/:id', validate('param', IdParam), async (c) =>
    c.json(await interviews.detail(c.req.valid('param').id)),
  );
  api.get('/:id/summary', validate('param', IdParam), async (c) => {
    const detail = await interviews.detail(c.req.valid('param').id);
    if (!detail.interview_summary) {
      return c.json(
        {
          error: 'NotReady',
          reason: `interview is ${detail.status}; the summary exists once it is completed`,
          status: detail.status,
        },
        409,
      );
    }
    return c.json({
      id: detail.id,
      candidate_hash: detail.candidate_hash,
      interview_summary: detail.interview_summary,
    });
  });
  api.get('/:id/record', validate('param', IdParam), async (c) =>
    c.json(withoutSecrets(await interviews.record(c.req.valid('param').id))),
  );
  /** The interviewer's report, for the dashboard (which holds the key but not the links). */
  api.get('/:id/report', validate('param', IdParam), async (c) =>
    c.json(buildReport(await interviews.record(c.req.valid('param').id))),
  );
  api.post('/:id/complete', validate('param', IdParam), async (c) => {
    const record = await interviews.complete(c.req.valid('param').id, 'api');
    return c.json({
      id: record.id,
      status: record.status,
      interview_summary: record.interview_summary,
    });
  });
  api.delete('/:id', validate('param', IdParam), async (c) => {
    await interviews.remove(c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.route('/api/interviews', api);

  // ---- Link routes: the unguessable token in the path is the credential. ----
  const links = new Hono();
  links.get('/:token', validate('param', TokenParam), async (c) =>
    c.json(await interviews.linkInfo(c.req.valid('param').token)),
  );
  links.post('/:token/join', validate('param', TokenParam), async (c) => {
    // The body is optional (older pages send none); when present it must be a JoinRequest.
    const text = await c.req.text();
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ValidationError('the join body is not JSON');
      }
    }
    const parsed = JoinRequestSchema.safeParse(body);
    if (!parsed.success) throw new ValidationError(formatIssues(parsed.error));
    return c.json(await interviews.join(c.req.valid('param').token, parsed.data));
  });
  links.post('/:token/complete', validate('param', TokenParam), async (c) => {
    const { id, role } = await interviews.resolve(c.req.valid('param').token);
    // Only the interviewer ends the interview; a candidate leaves and may rejoin with the link.
    if (role !== 'interviewer')
      throw new ForbiddenError('only the interviewer can end the interview');
    const record = await interviews.complete(id, role);
    return c.json({ id: record.id, status: record.status });
  });
  links.get('/:token/live', validate('param', TokenParam), async (c) => {
    const { id } = await interviewerOnly(interviews, c.req.valid('param').token);
    const intervalMs = deps.liveStateIntervalMs ?? 500;
    return streamSSE(c, async (stream) => {
      let aborted = false;
      stream.onAbort(() => {
        aborted = true;
      });
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by onAbort while we sleep; TypeScript does not see callback assignments
      while (!aborted) {
        if (!interviews.isLive(id)) {
          const { status } = await interviews.linkInfo(c.req.valid('param').token);
          await stream.writeSSE({ event: 'status', data: JSON.stringify({ status }) });
          if (status === 'completed') return;
        } else {
          await stream.writeSSE({ event: 'live', data: JSON.stringify(interviews.liveState(id)) });
        }
        await interviews.nextChange(id, intervalMs);
        // Coalesces bursts (a reconnecting candidate re-sends many messages at once).
        await stream.sleep(LIVE_PUSH_MIN_GAP_MS);
      }
    });
  });
  links.post(
    '/:token/flags/:flagId/review',
    validate('param', FlagParam),
    validate('json', ReviewRequestSchema),
    async (c) => {
      const { token, flagId } = c.req.valid('param');
      const { id } = await interviewerOnly(interviews, token);
      const { decision, note } = c.req.valid('json');
      await interviews.review(id, flagId, decision, note);
      return c.json({ flagId, decision });
    },
  );
  links.post(
    '/:token/speakers',
    validate('param', TokenParam),
    validate('json', SpeakersReportSchema),
    async (c) => {
      // Either side may report: the candidate's page hears the interviewer too, so the turns
      // do not depend on the interviewer's page being open.
      const { id, role } = await interviews.resolve(c.req.valid('param').token);
      await interviews.reportSpeakers(id, c.req.valid('json').active, role);
      return c.body(null, 204);
    },
  );
  links.get('/:token/report', validate('param', TokenParam), async (c) => {
    const { id } = await interviewerOnly(interviews, c.req.valid('param').token);
    return c.json(buildReport(await interviews.record(id)));
  });
  app.route('/api/links', links);

  app.all('/api/*', (c: Context) =>
    c.json({ error: 'NotFound', reason: `no route ${c.req.method} ${c.req.path}` }, 404),
  );
  deps.mountStatic?.(app);
  return app;
}

/** Live view, reviews and the report belong to the interviewer; a candidate link gets 404. */
async function interviewerOnly(
  interviews: InterviewService,
  token: string,
): Promise<{ id: string }> {
  const { id, role } = await interviews.resolve(token);
  if (role !== 'interviewer') throw new NotFoundError('unknown interview link');
  return { id };
}

function withoutSecrets(record: SessionRecord): Omit<SessionRecord, 'token_hashes'> {
  const { token_hashes: _hidden, ...rest } = record;
  return rest;
}

export function buildReport(record: SessionRecord): Report {
  let startMs = Number.POSITIVE_INFINITY;
  for (const s of record.samples) startMs = Math.min(startMs, s.windowStartMs);
  for (const e of record.events) startMs = Math.min(startMs, e.startMs);
  const identity = identityTraceOf(record);
  return {
    interview_id: record.id,
    candidate_hash: record.candidate_hash,
    status: record.status,
    started_at: record.started_at,
    completed_at: record.completed_at,
    start_ms: Number.isFinite(startMs) ? startMs : 0,
    interview_summary: record.interview_summary,
    score_timeline: record.score_timeline,
    series: record.samples.map((s) => ({
      tMs: s.windowEndMs,
      focusConsistency: s.focusConsistency,
      gazeStability: s.gazeStability,
      headSpeedDegPerS: s.headSpeedDegPerS,
      coverage: s.coverage,
      faceCountMax: s.faceCountMax,
    })),
    flags: record.flags,
    reviews: record.reviews,
    rejected_packets: record.rejected.length,
    ...(identity === undefined ? {} : { identity }),
    ...(record.questions === undefined ? {} : { questions: record.questions }),
  };
}
