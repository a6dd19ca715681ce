import { z } from 'zod';
import { EventDetailsSchema, EventKindSchema } from '../protocol/integrity-event';

export const ReviewDecisionSchema = z.enum(['pending', 'confirmed', 'dismissed']);
export type ReviewDecision = z.infer<typeof ReviewDecisionSchema>;

/** The interviewer's decision on one flag; the record keeps the flag and every decision. */
export const FlagReviewSchema = z
  .object({
    flagId: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/),
    decision: z.enum(['confirmed', 'dismissed']),
    atMs: z.number().nonnegative(),
    note: z.string().max(500).optional(),
  })
  .strict();
export type FlagReview = z.infer<typeof FlagReviewSchema>;

/** An event's start and end reports merged into one flag, as the interviewer sees it. */
export const FlagSchema = z
  .object({
    flagId: z.string(),
    kind: EventKindSchema,
    category: z.enum(['integrity', 'measurement']),
    startMs: z.number(),
    /** null while the event is still going on. */
    endMs: z.number().nullable(),
    durationMs: z.number().nonnegative(),
    details: EventDetailsSchema,
    review: ReviewDecisionSchema,
  })
  .strict();
export type Flag = z.infer<typeof FlagSchema>;

/** Who was speaking, from LiveKit's active-speaker updates as the recorder saw them. */
export const SpeakerIntervalSchema = z
  .object({
    role: z.enum(['candidate', 'interviewer']),
    startMs: z.number().nonnegative(),
    endMs: z.number().nonnegative(),
  })
  .strict();
export type SpeakerInterval = z.infer<typeof SpeakerIntervalSchema>;
