import type { z } from 'zod';
import {
  ApiErrorSchema,
  CreateInterviewResponseSchema,
  InterviewListResponseSchema,
  JoinResponseSchema,
  LinkInfoSchema,
  ReportSchema,
  type CreateInterviewResponse,
  type InterviewListResponse,
  type JoinResponse,
  type JoinRequest,
  type LinkInfo,
  type Report,
  type ReviewRequest,
  type SpeakersReport,
} from '../../../shared/api/interview-api';
import { z as zod } from 'zod';

/** An API failure with the server's reason, readable as is in the UI. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

async function request<T>(path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    // Headers, not an object spread: init.headers may also be a Headers object or a tuple list.
    const headers = new Headers(init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiRequestError(
      0,
      'The server cannot be reached. Check your connection and try again.',
    );
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiErrorSchema.safeParse(body);
    throw new ApiRequestError(
      res.status,
      parsed.success ? (parsed.data.reason ?? parsed.data.error) : `HTTP ${res.status}`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ApiRequestError(res.status, 'The server sent an unexpected answer.');
  return parsed.data;
}

const bearer = (apiKey: string): Record<string, string> => ({ authorization: `Bearer ${apiKey}` });

export const api = {
  createInterview: (
    apiKey: string,
    candidateHash: string,
    identityCheck = false,
  ): Promise<CreateInterviewResponse> =>
    request('/api/interviews', CreateInterviewResponseSchema, {
      method: 'POST',
      headers: bearer(apiKey),
      body: JSON.stringify({
        candidate_hash: candidateHash,
        ...(identityCheck ? { identity_check: true } : {}),
      }),
    }),
  listInterviews: (
    apiKey: string,
    query: { candidate_hash?: string; status?: string; limit?: number; cursor?: string } = {},
  ): Promise<InterviewListResponse> => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query) as [string, string | number | undefined][])
      if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return request(`/api/interviews${qs ? `?${qs}` : ''}`, InterviewListResponseSchema, {
      headers: bearer(apiKey),
    });
  },
  reportById: (apiKey: string, id: string): Promise<Report> =>
    request(`/api/interviews/${encodeURIComponent(id)}/report`, ReportSchema, {
      headers: bearer(apiKey),
    }),
  linkInfo: (token: string): Promise<LinkInfo> => request(`/api/links/${token}`, LinkInfoSchema),
  join: (token: string, body: JoinRequest = {}): Promise<JoinResponse> =>
    request(`/api/links/${token}/join`, JoinResponseSchema, {
      method: 'POST',
      body: JSON.stringify(body),
    }),
  complete: (token: string): Promise<unknown> =>
    request(`/api/links/${token}/complete`, zod.object({ status: zod.string() }).loose(), {
      method: 'POST',
    }),
  review: (token: string, flagId: string, body: ReviewRequest): Promise<unknown> =>
    request(
      `/api/links/${token}/flags/${flagId}/review`,
      zod.object({ decision: zod.string() }).loose(),
      {
        method: 'POST',
        body: JSON.stringify(body),
      },
    ),
  reportSpeakers: (token: string, body: SpeakersReport): Promise<void> =>
    fetch(`/api/links/${token}/speakers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(() => undefined),
  report: (token: string): Promise<Report> => request(`/api/links/${token}/report`, ReportSchema),
};
