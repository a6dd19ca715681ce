import { z } from 'zod';
import type { JournalEntry } from '../../shared/record/journal-entry';
import {
  InterviewStatusSchema,
  SessionRecordSchema,
  type SessionRecord,
} from '../../shared/record/session-record';
import { CorruptRecordError } from '../errors/errors';
import { formatIssues } from '../../shared/protocol/data-message';
import type { InterviewHeader, InterviewListing } from './interview-repository';

/**
 * The mapping between a session record and table rows, the same for both backends: header
 * fields are columns (the indexed ones and those a listing shows), the completed outcome
 * (flags, score timeline, summary) one JSON column, and every observed entry one JSON row.
 */
export interface InterviewRow {
  id: string;
  candidate_hash: string;
  status: string;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  retain_until: string;
  token_hash_candidate: string;
  token_hash_interviewer: string;
  completed_by: string | null;
  clock_offset_ms: number | null;
  final_score: number | null;
  /** JSON of { flags, score_timeline, interview_summary }; null until completed. */
  outcome: string | null;
  /** JSON of the identity-check setting; null when the record has none. */
  identity_check: string | null;
}

export const INTERVIEW_COLUMNS = [
  'id',
  'candidate_hash',
  'status',
  'created_at',
  'started_at',
  'completed_at',
  'retain_until',
  'token_hash_candidate',
  'token_hash_interviewer',
  'completed_by',
  'clock_offset_ms',
  'final_score',
  'outcome',
  'identity_check',
] as const satisfies readonly (keyof InterviewRow)[];

export const LISTING_COLUMNS = [
  'id',
  'candidate_hash',
  'status',
  'created_at',
  'completed_at',
  'retain_until',
  'final_score',
] as const;

const HeaderSchema = SessionRecordSchema.omit({
  samples: true,
  events: true,
  reviews: true,
  speakers: true,
  connection: true,
  rejected: true,
});

export function rowOf(header: InterviewHeader): InterviewRow {
  const completed = header.interview_summary !== null;
  return {
    id: header.id,
    candidate_hash: header.candidate_hash,
    status: header.status,
    created_at: header.created_at,
    started_at: header.started_at,
    completed_at: header.completed_at,
    retain_until: header.retain_until,
    token_hash_candidate: header.token_hashes.candidate,
    token_hash_interviewer: header.token_hashes.interviewer,
    completed_by: header.completed_by,
    clock_offset_ms: header.clock_offset_ms,
    final_score: header.interview_summary?.final_score ?? null,
    outcome:
      completed || header.flags.length > 0 || header.score_timeline.length > 0
        ? JSON.stringify({
            flags: header.flags,
            score_timeline: header.score_timeline,
            interview_summary: header.interview_summary,
            ...(header.questions === undefined ? {} : { questions: header.questions }),
          })
        : null,
    identity_check:
      header.identity_check === undefined ? null : JSON.stringify(header.identity_check),
  };
}

/** Reads a row back, validated: a row that fails its schema is reported, never guessed at. */
export function headerOf(row: InterviewRow): InterviewHeader {
  const outcome: unknown = row.outcome === null ? {} : JSON.parse(row.outcome);
  const parsed = HeaderSchema.safeParse({
    schema: 'live-interview/session',
    version: 1,
    id: row.id,
    candidate_hash: row.candidate_hash,
    status: row.status,
    created_at: row.created_at,
    started_at: row.started_at,
    completed_at: row.completed_at,
    retain_until: row.retain_until,
    token_hashes: { candidate: row.token_hash_candidate, interviewer: row.token_hash_interviewer },
    completed_by: row.completed_by,
    clock_offset_ms: row.clock_offset_ms,
    flags: [],
    score_timeline: [],
    interview_summary: null,
    ...(typeof outcome === 'object' ? outcome : {}),
    ...(row.identity_check === null
      ? {}
      : { identity_check: JSON.parse(row.identity_check) as unknown }),
  });
  if (!parsed.success) {
    throw new CorruptRecordError(`interview ${row.id}: ${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}

const ListingSchema = z.object({
  id: z.string(),
  candidate_hash: z.string(),
  status: InterviewStatusSchema,
  created_at: z.string(),
  completed_at: z.string().nullable(),
  retain_until: z.string(),
  final_score: z.coerce.number().int().nullable(),
});

export function listingOf(row: Record<string, unknown>): InterviewListing {
  return ListingSchema.parse(row);
}

/** The entry tables, one per journal entry kind, and the field that holds the entry. */
export const ENTRY_TABLES = {
  sample: 'samples',
  event: 'events',
  review: 'reviews',
  speaker: 'speakers',
  connection: 'connection_notes',
  rejected: 'rejections',
} as const satisfies Record<RowEntry['entry'], string>;

/** The table of each kind of entry. */
export type EntryTable = (typeof ENTRY_TABLES)[keyof typeof ENTRY_TABLES];

/** One value per entry table, e.g. a prepared statement or a record's bodies. */
export function perEntryTable<T>(make: (table: EntryTable) => T): Record<EntryTable, T> {
  return Object.fromEntries(
    Object.values(ENTRY_TABLES).map((table) => [table, make(table)]),
  ) as Record<EntryTable, T>;
}

/** Entries stored as rows; `identity_check` updates the interview's own column instead. */
export type RowEntry = Exclude<JournalEntry, { entry: 'identity_check' }>;

/** The JSON stored for an entry, and its (stream, seq) key for samples and events. */
export function entryBody(entry: RowEntry): { body: string; key: [string, number] | null } {
  switch (entry.entry) {
    case 'sample':
      return {
        body: JSON.stringify(entry.sample),
        key: [entry.sample.stream, entry.sample.seq],
      };
    case 'event':
      return { body: JSON.stringify(entry.event), key: [entry.event.stream, entry.event.seq] };
    case 'review':
      return { body: JSON.stringify(entry.review), key: null };
    case 'speaker':
      return { body: JSON.stringify(entry.interval), key: null };
    case 'connection':
      return { body: JSON.stringify(entry.note), key: null };
    case 'rejected':
      return { body: JSON.stringify(entry.rejection), key: null };
  }
}

/** Assembles and validates the whole record from its header and entry bodies (arrival order). */
export function recordOf(
  header: InterviewHeader,
  bodies: Record<EntryTable, readonly string[]>,
): SessionRecord {
  const parse = (rows: readonly string[]): unknown[] => rows.map((b) => JSON.parse(b) as unknown);
  const parsed = SessionRecordSchema.safeParse({
    ...header,
    samples: parse(bodies.samples),
    events: parse(bodies.events),
    reviews: parse(bodies.reviews),
    speakers: parse(bodies.speakers),
    connection: parse(bodies.connection_notes),
    rejected: parse(bodies.rejections),
  });
  if (!parsed.success) {
    throw new CorruptRecordError(`interview ${header.id}: ${formatIssues(parsed.error)}`);
  }
  return parsed.data;
}
