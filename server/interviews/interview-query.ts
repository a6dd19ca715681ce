import { z } from 'zod';
import type { InterviewListItem } from '../../shared/api/interview-api';
import { InterviewStatusSchema } from '../../shared/record/session-record';

/** Most rows one page of the list may hold; the dashboard asks for 50. */
export const MAX_LIST_LIMIT = 200;
export const DEFAULT_LIST_LIMIT = 50;

/**
 * Query of GET /api/interviews. `candidate_hash` matches a part of the reference, ignoring case,
 * so a recruiter can paste the start of one; `offset` pages through the (newest first) result.
 * Empty strings count as absent, as an HTML form sends them.
 */
export const InterviewListQuerySchema = z
  .object({
    candidate_hash: z
      .string()
      .max(128)
      .regex(/^[A-Za-z0-9_:.-]*$/, 'letters, digits and _ : . - only')
      .optional()
      .transform((v) => (v === '' ? undefined : v)),
    status: z
      .union([InterviewStatusSchema, z.literal('')])
      .optional()
      .transform((v) => (v === '' ? undefined : v)),
    limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type InterviewListQuery = z.output<typeof InterviewListQuerySchema>;

export interface InterviewListPage {
  interviews: InterviewListItem[];
  /** Rows matching the filters, across all pages. */
  total: number;
  /** Offset of the next page, or null on the last one. */
  next_offset: number | null;
}

/** Filters and pages the service's list (already newest first); pure, so it is tested alone. */
export function queryInterviews(
  all: readonly InterviewListItem[],
  query: InterviewListQuery,
): InterviewListPage {
  const needle = query.candidate_hash?.toLowerCase();
  const matching = all.filter(
    (i) =>
      (needle === undefined || i.candidate_hash.toLowerCase().includes(needle)) &&
      (query.status === undefined || i.status === query.status),
  );
  const end = query.offset + query.limit;
  return {
    interviews: matching.slice(query.offset, end),
    total: matching.length,
    next_offset: end < matching.length ? end : null,
  };
}
