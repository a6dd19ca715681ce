import { QuestionEvidenceSchema } from '../detection/question-turns';
import { z } from 'zod';
import { FlagReviewSchema, FlagSchema, ReviewDecisionSchema } from '../detection/flag';
import {
  CandidateHashSchema,
  InterviewIdSchema,
  InterviewStatusSchema,
} from '../record/session-record';
import {
  InterviewSummarySchema,
  ScorePointSchema,
  ScoreResultSchema,
} from '../scoring/score-result';

/** Link tokens: 32 random bytes in base64url (256 bits), so 43 characters. */
export const LinkTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a link token');

export const CreateInterviewRequestSchema = z
  .object({
    candidate_hash: CandidateHashSchema,
    /**
     * Opt-in identity check: the candidate's device compares the face in the chair with the face
     * seen at calibration and reports only a similarity; the candidate must agree before joining.
     */
    identity_check: z
      .boolean()
      .default(false)
      .describe(
        'Check on the candidate device, with their consent, that the person answering stays the one who started. No face template leaves the device or is stored.',
      ),
  })
  .strict();
export type CreateInterviewRequest = z.infer<typeof CreateInterviewRequestSchema>;

export const CreateInterviewResponseSchema = z
  .object({
    id: InterviewIdSchema,
    candidate_url: z.url(),
    interviewer_url: z.url(),
    status: InterviewStatusSchema,
  })
  .strict();
export type CreateInterviewResponse = z.infer<typeof CreateInterviewResponseSchema>;

export const InterviewListItemSchema = z
  .object({
    id: InterviewIdSchema,
    candidate_hash: CandidateHashSchema,
    status: InterviewStatusSchema,
    created_at: z.string(),
    completed_at: z.string().nullable(),
    final_score: z.number().int().min(0).max(100).nullable(),
  })
  .strict();
export type InterviewListItem = z.infer<typeof InterviewListItemSchema>;

/** Largest page `GET /api/interviews` answers; the default is 50. */
export const MAX_LIST_LIMIT = 200;

/**
 * `GET /api/interviews?candidate_hash=&status=&limit=&cursor=`: filters answered from the
 * store's indexes, newest first; `cursor` is the `next_cursor` of the previous page (opaque).
 */
export const InterviewListQuerySchema = z
  .object({
    candidate_hash: CandidateHashSchema.optional(),
    status: InterviewStatusSchema.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(50),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,300}$/, 'not a cursor from this API')
      .optional(),
  })
  .strict();
export type InterviewListQuery = z.input<typeof InterviewListQuerySchema>;

export const InterviewListResponseSchema = z
  .object({
    interviews: z.array(InterviewListItemSchema),
    /** Pass as `cursor` for the next page; null on the last one. */
    next_cursor: z.string().nullable(),
  })
  .strict();
export type InterviewListResponse = z.infer<typeof InterviewListResponseSchema>;

export const InterviewDetailSchema = InterviewListItemSchema.extend({
  interview_summary: InterviewSummarySchema.nullable(),
});
export type InterviewDetail = z.infer<typeof InterviewDetailSchema>;

export const RoleSchema = z.enum(['candidate', 'interviewer']);
export type Role = z.infer<typeof RoleSchema>;

/** What a link token opens: the LiveKit connection details for exactly one role and room. */
export const JoinResponseSchema = z
  .object({
    interview_id: InterviewIdSchema,
    role: RoleSchema,
    status: InterviewStatusSchema,
    livekit_url: z.string(),
    token: z.string(),
    identity: z.string(),
    /** Identity of the recorder, whose acknowledgements the candidate listens for. */
    recorder_identity: z.string(),
  })
  .strict();
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

/** What a link token tells before joining, so the pages can show the right screen. */
export const LinkInfoSchema = z
  .object({
    interview_id: InterviewIdSchema,
    role: RoleSchema,
    status: InterviewStatusSchema,
    /** How long the session record is kept, told to the candidate before joining. */
    retention_days: z.number().int().positive(),
    /** The interview asks for the identity check: the candidate's consent is needed to join. */
    identity_check: z.boolean().optional(),
  })
  .strict();
export type LinkInfo = z.infer<typeof LinkInfoSchema>;

/**
 * Body of a join (optional). `identity_consent: true` is the candidate ticking "I agree to the
 * identity check"; an interview with the check refuses the candidate's join without it.
 */
export const JoinRequestSchema = z.object({ identity_consent: z.boolean().optional() }).strict();
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const ReviewRequestSchema = z
  .object({
    decision: ReviewDecisionSchema.exclude(['pending']),
    note: z.string().max(500).optional(),
  })
  .strict();
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

/**
 * Who is speaking now, as LiveKit's active-speaker updates reach the interviewer's page. LiveKit
 * sends those only to participants subscribed to the audio, which the data-only recorder is not;
 * the interviewer's page is subscribed to the candidate and is the party the score serves.
 */
export const SpeakersReportSchema = z.object({ active: z.array(RoleSchema).max(2) }).strict();
export type SpeakersReport = z.infer<typeof SpeakersReportSchema>;

/**
 * The identity check's trace: each sample's similarity to the face enrolled at calibration (null
 * when no comparison could be made). Absent when the interview does not use the check.
 */
export const IdentityTraceSchema = z
  .object({
    enabled: z.boolean(),
    consented_at: z.string().nullable(),
    points: z.array(
      z.object({ tMs: z.number(), similarity: z.number().min(0).max(1).nullable() }).strict(),
    ),
  })
  .strict();
export type IdentityTrace = z.infer<typeof IdentityTraceSchema>;

/** Pushed to the interviewer over server-sent events at least once a second. */
export const LiveStateSchema = z
  .object({
    status: InterviewStatusSchema,
    score: ScoreResultSchema,
    flags: z.array(FlagSchema),
    timeline: z.array(ScorePointSchema),
    candidate_connected: z.boolean(),
    /** The hidden recorder is in the room; while false nothing is stored ("Recording paused"). */
    recorder_connected: z.boolean(),
    /** Packets refused since the recorder started (bounds, schema, sender, rate limit). */
    packets_refused: z.number().int().nonnegative(),
    /** Of those, refused by the per-participant rate limit. */
    packets_rate_limited: z.number().int().nonnegative(),
    /** Who is speaking now, as last reported from LiveKit's active speakers. */
    active_speakers: z.array(RoleSchema),
    samples_received: z.number().int().nonnegative(),
    identity: IdentityTraceSchema.optional(),
    /** Questions and answers so far, from who spoke when (question-turns.ts). */
    questions: z.array(QuestionEvidenceSchema).max(500).optional(),
    /**
     * The interview's start on the candidate's clock (its earliest sample or event), the same
     * instant as the report's `start_ms`, so live and report times agree; null before any data.
     */
    start_ms: z.number().nullable(),
  })
  .strict();
export type LiveState = z.infer<typeof LiveStateSchema>;

export const ApiErrorSchema = z.object({ error: z.string(), reason: z.string().optional() });
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** One point per stored sample for the report's plots. */
export const SeriesPointSchema = z
  .object({
    tMs: z.number(),
    focusConsistency: z.number().nullable(),
    gazeStability: z.number().nullable(),
    headSpeedDegPerS: z.number().nullable(),
    coverage: z.number(),
    faceCountMax: z.number().int(),
  })
  .strict();
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

/** The interviewer's report: the summary, the plots' data and every flag with its decision. */
export const ReportSchema = z
  .object({
    interview_id: InterviewIdSchema,
    candidate_hash: CandidateHashSchema,
    status: InterviewStatusSchema,
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    /** Candidate-clock instant the plots' times are relative to. */
    start_ms: z.number(),
    interview_summary: InterviewSummarySchema.nullable(),
    score_timeline: z.array(ScorePointSchema),
    series: z.array(SeriesPointSchema),
    flags: z.array(FlagSchema),
    /** Every review decision with its optional note, oldest first (the flags show the latest). */
    reviews: z.array(FlagReviewSchema),
    rejected_packets: z.number().int().nonnegative(),
    identity: IdentityTraceSchema.optional(),
    /** Per-question evidence (question-turns.ts); absent for records from before it existed. */
    questions: z.array(QuestionEvidenceSchema).max(500).optional(),
  })
  .strict();
export type Report = z.infer<typeof ReportSchema>;
