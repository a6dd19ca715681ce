import { z } from 'zod';
import type { JournalEntry } from '../../shared/record/journal-entry';
import {
  InterviewListQuerySchema,
  type InterviewListQuery,
  type Role,
} from '../../shared/api/interview-api';
import type { InterviewStatus, SessionRecord } from '../../shared/record/session-record';

/**
 * Where interviews live while they are created, recorded and kept: one interface, two backends
 * (`sqlite-repository.ts`, the embedded default, and `postgres-repository.ts` for several
 * servers sharing one database). Every method is async so the recorder can later call it from
 * a worker process or another machine. A method resolves only once its write is durable
 * (committed); a storage failure rejects with a `StorageError` (see `errors.ts`) and leaves
 * everything committed before it intact.
 */
export interface InterviewRepository {
  readonly backend: 'sqlite' | 'postgres';
  /** Creates the interview's row; its arrays start empty. */
  create(header: InterviewHeader): Promise<void>;
  get(id: string): Promise<InterviewHeader | null>;
  /** The interview a link token (by its sha256) opens, and as whom. */
  findByTokenHash(tokenHash: string): Promise<{ id: string; role: Role } | null>;
  /** Newest first, filtered, paginated by an opaque cursor; answered from the indexes. */
  list(query: InterviewQuery): Promise<InterviewPage>;
  /** Interviews whose status is `live`: the only ones a server reloads at start-up. */
  listLive(): Promise<InterviewHeader[]>;
  /** created -> live; a no-op when it is already live or completed. */
  markLive(id: string, startedAt: string): Promise<void>;
  /**
   * Appends what the recorder observed, in order, in ONE transaction. Samples and events are
   * keyed by (interview, stream, seq): a duplicate is a no-op. Resolves, once committed, with
   * one boolean per entry: true when it was stored, false when it was a duplicate.
   */
  append(id: string, entries: readonly JournalEntry[]): Promise<boolean[]>;
  /** The whole record: the header with every stored entry in arrival order; null when unknown. */
  readRecord(id: string): Promise<SessionRecord | null>;
  /** Stores the completed record's header and outcome (status, flags, timeline, summary). */
  complete(record: SessionRecord): Promise<void>;
  /** Ids of interviews whose retention ended at `nowIso`, oldest first, at most `limit`. */
  listExpired(nowIso: string, limit: number): Promise<string[]>;
  /** Deletes the interview and everything recorded for it. */
  remove(id: string): Promise<void>;
  /** A tiny durable write (one row, rewritten): resolves when the store accepts writes now. */
  probe(): Promise<void>;
  /** The current schema version (after migrations). */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** Everything of a session record except the arrays that grow while it is live. */
export type InterviewHeader = Omit<
  SessionRecord,
  'samples' | 'events' | 'reviews' | 'speakers' | 'connection' | 'rejected'
>;

/** A page position: the last item's (created_at, id), opaque to clients (base64url JSON). */
const CursorSchema = z.tuple([z.iso.datetime(), z.uuid()]);
export type Cursor = z.infer<typeof CursorSchema>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Undefined for anything that is not a cursor this server issued. */
export function decodeCursor(text: string): Cursor | undefined {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(Buffer.from(text, 'base64url').toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The API's list query, with a cursor this server can decode. */
export const InterviewQuerySchema = InterviewListQuerySchema.refine(
  (q) => q.cursor === undefined || decodeCursor(q.cursor) !== undefined,
  { path: ['cursor'], message: 'not a cursor from this API' },
);
export type InterviewQuery = InterviewListQuery;

/** What a listing shows of an interview: its index columns, without the stored outcome. */
export interface InterviewListing {
  id: string;
  candidate_hash: string;
  status: InterviewStatus;
  created_at: string;
  completed_at: string | null;
  retain_until: string;
  final_score: number | null;
}

export interface InterviewPage {
  items: InterviewListing[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Parsed query with defaults applied, as both backends use it. */
export function normaliseQuery(query: InterviewQuery): {
  candidateHash: string | undefined;
  status: InterviewStatus | undefined;
  limit: number;
  after: Cursor | undefined;
} {
  const q = InterviewQuerySchema.parse(query);
  return {
    candidateHash: q.candidate_hash,
    status: q.status,
    limit: q.limit,
    after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
  };
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says there is more. */
export function pageOf(rows: InterviewListing[], limit: number): InterviewPage {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}
