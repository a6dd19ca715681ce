import { randomUUID } from 'node:crypto';
import type {
  InterviewDetail,
  InterviewListQuery,
  InterviewListResponse,
  Role,
} from '../../shared/api/interview-api';
import { formatIssues } from '../../shared/protocol/data-message';
import { newSessionRecord, type InterviewStatus } from '../../shared/record/session-record';
import { NotFoundError, ValidationError } from '../errors/errors';
import type { Logger } from '../log/logger';
import {
  InterviewQuerySchema,
  type InterviewHeader,
  type InterviewRepository,
} from '../storage/interview-repository';
import { hashLinkToken, newLinkToken } from './link-token';

const DAY_MS = 86_400_000;

export interface InterviewIndexDeps {
  repository: InterviewRepository;
  publicBaseUrl: () => string;
  retentionDays: number;
  now: () => number;
  log: Logger;
}

export interface CreatedInterview {
  id: string;
  candidateUrl: string;
  interviewerUrl: string;
  status: InterviewStatus;
}

/**
 * The index of interviews: creation, link resolution and lookups, answered by the repository's
 * indexes (nothing is held in memory here).
 */
export class InterviewIndex {
  constructor(private readonly deps: InterviewIndexDeps) {}

  async create(
    candidateHash: string,
    options: { identityCheck?: boolean } = {},
  ): Promise<CreatedInterview> {
    const id = randomUUID();
    const candidateToken = newLinkToken();
    const interviewerToken = newLinkToken();
    const now = new Date(this.deps.now());
    const record = newSessionRecord({
      id,
      candidateHash,
      createdAt: now,
      retainUntil: new Date(now.getTime() + this.deps.retentionDays * DAY_MS),
      tokenHashes: {
        candidate: hashLinkToken(candidateToken),
        interviewer: hashLinkToken(interviewerToken),
      },
      identityCheck: options.identityCheck ?? false,
    });
    const { samples, events, reviews, speakers, connection, rejected, ...header } = record;
    await this.deps.repository.create(header);
    this.deps.log.info('interview created', { id, identityCheck: options.identityCheck ?? false });
    const base = this.deps.publicBaseUrl();
    return {
      id,
      candidateUrl: `${base}/c/${candidateToken}`,
      interviewerUrl: `${base}/i/${interviewerToken}`,
      status: 'created',
    };
  }

  /** Unknown and forged tokens look the same: 404, and no LiveKit token. */
  async resolve(token: string): Promise<{ id: string; role: Role }> {
    const found =
      token === '' ? null : await this.deps.repository.findByTokenHash(hashLinkToken(token));
    if (!found) throw new NotFoundError('unknown interview link');
    return found;
  }

  /** The interview's stored header; NotFoundError when there is none. */
  async entry(id: string): Promise<InterviewHeader> {
    const header = await this.deps.repository.get(id);
    if (!header) throw new NotFoundError('interview not found');
    return header;
  }

  /** Newest first, filtered and paginated by the repository's indexes. */
  async list(query: InterviewListQuery = {}): Promise<InterviewListResponse> {
    const parsed = InterviewQuerySchema.safeParse(query);
    if (!parsed.success) throw new ValidationError(formatIssues(parsed.error));
    const page = await this.deps.repository.list(parsed.data);
    return {
      interviews: page.items.map((e) => ({
        id: e.id,
        candidate_hash: e.candidate_hash,
        status: e.status,
        created_at: e.created_at,
        completed_at: e.completed_at,
        final_score: e.final_score,
      })),
      next_cursor: page.nextCursor,
    };
  }

  async detail(id: string): Promise<InterviewDetail> {
    const e = await this.entry(id);
    return {
      id,
      candidate_hash: e.candidate_hash,
      status: e.status,
      created_at: e.created_at,
      completed_at: e.completed_at,
      final_score: e.interview_summary?.final_score ?? null,
      interview_summary: e.interview_summary,
    };
  }
}
