import { z } from 'zod';
import { FlagReviewSchema, FlagSchema, SpeakerIntervalSchema } from '../detection/flag';
import { INTEGRITY_EVENT_FIELDS, checkEventConsistency } from '../protocol/integrity-event';
import { METRIC_SAMPLE_FIELDS, checkSampleConsistency } from '../protocol/metric-sample';
import { InterviewSummarySchema, ScorePointSchema } from '../scoring/score-result';

/** Interview ids are UUIDs: the only thing a storage path is ever built from. */
export const InterviewIdSchema = z.uuid();

/** Opaque candidate reference from the parent system (a hash, never a name). */
export const CandidateHashSchema = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9_:.-]+$/, 'letters, digits and _ : . - only');

export const InterviewStatusSchema = z.enum(['created', 'live', 'completed']);
export type InterviewStatus = z.infer<typeof InterviewStatusSchema>;

/** Each stored message keeps the server's receive time beside the candidate's own clock. */
export const StoredSampleSchema = z
  .object({ ...METRIC_SAMPLE_FIELDS, receivedAtMs: z.number() })
  .strict()
  .superRefine(checkSampleConsistency);
export const StoredEventSchema = z
  .object({ ...INTEGRITY_EVENT_FIELDS, receivedAtMs: z.number() })
  .strict()
  .superRefine(checkEventConsistency);
export type StoredSample = z.infer<typeof StoredSampleSchema>;
export type StoredEvent = z.infer<typeof StoredEventSchema>;

/** A connection-quality or reconnect observation made by the recorder itself. */
export const ConnectionNoteSchema = z
  .object({
    atMs: z.number(),
    identity: z.string(),
    quality: z.enum(['excellent', 'good', 'poor', 'lost', 'disconnected', 'connected']),
  })
  .strict();
export type ConnectionNote = z.infer<typeof ConnectionNoteSchema>;

/** A packet the recorder refused, with the reason; the packet itself is not kept. */
export const RejectionSchema = z
  .object({ atMs: z.number(), identity: z.string(), reason: z.string().max(500) })
  .strict();

export const IdentityCheckSettingSchema = z
  .object({
    enabled: z.boolean(),
    /** When the candidate agreed (server clock); null until they do. */
    consented_at: z.iso.datetime().nullable(),
  })
  .strict();
export type IdentityCheckSetting = z.infer<typeof IdentityCheckSettingSchema>;

/**
 * The one JSON document per interview, `SESSIONS_DIR/<id>.json`. Versioned: readers check
 * `schema` and `version`. It holds no frames, landmarks or face templates.
 */
export const SessionRecordSchema = z
  .object({
    schema: z.literal('live-interview/session'),
    version: z.literal(1),
    id: InterviewIdSchema,
    candidate_hash: CandidateHashSchema,
    status: InterviewStatusSchema,
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    completed_at: z.iso.datetime().nullable(),
    /** After this instant the record is deleted (RETENTION_DAYS). */
    retain_until: z.iso.datetime(),
    /** sha256 of the two link tokens: the tokens themselves are never stored. */
    token_hashes: z.object({ candidate: z.string(), interviewer: z.string() }).strict(),
    completed_by: z.enum(['candidate', 'interviewer', 'api']).nullable(),
    /** Estimated candidate-clock offset: server time = candidate time + offset. */
    clock_offset_ms: z.number().nullable(),
    samples: z.array(StoredSampleSchema),
    events: z.array(StoredEventSchema),
    flags: z.array(FlagSchema),
    reviews: z.array(FlagReviewSchema),
    speakers: z.array(SpeakerIntervalSchema),
    connection: z.array(ConnectionNoteSchema),
    rejected: z.array(RejectionSchema),
    score_timeline: z.array(ScorePointSchema),
    interview_summary: InterviewSummarySchema.nullable(),
    /**
     * The opt-in identity check and the candidate's consent to it (when they agreed). Absent in
     * records made before the check existed. Only the setting and the consent are kept: no face
     * template or descriptor is ever stored.
     */
    identity_check: IdentityCheckSettingSchema.optional(),
  })
  .strict();
export type SessionRecord = z.infer<typeof SessionRecordSchema>;

/** A new interview's record: nothing observed yet. */
export function newSessionRecord(init: {
  id: string;
  candidateHash: string;
  createdAt: Date;
  retainUntil: Date;
  tokenHashes: { candidate: string; interviewer: string };
  identityCheck?: boolean;
}): SessionRecord {
  return {
    schema: 'live-interview/session',
    version: 1,
    id: init.id,
    candidate_hash: init.candidateHash,
    status: 'created',
    created_at: init.createdAt.toISOString(),
    started_at: null,
    completed_at: null,
    retain_until: init.retainUntil.toISOString(),
    token_hashes: init.tokenHashes,
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
    identity_check: { enabled: init.identityCheck ?? false, consented_at: null },
  };
}
