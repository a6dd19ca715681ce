import { z } from 'zod';
import { EventKindSchema } from '../protocol/integrity-event';

export const PositiveSignalSchema = z.enum(['focusConsistency', 'gazeStability', 'calmHead']);
export type PositiveSignal = z.infer<typeof PositiveSignalSchema>;

/** One line of "what moved the score and by how much". */
export const ScoreContributionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('signal'),
      signal: PositiveSignalSchema,
      /** Mean of the signal 0..1 over measured time; null when never measured. */
      value: z.number().min(0).max(1).nullable(),
      weight: z.number().min(0),
      /** Points this signal cost the base score (<= 0): weight share x (1 - value) x 100. */
      points: z.number().max(0),
    })
    .strict(),
  z
    .object({
      type: z.literal('penalty'),
      kind: EventKindSchema,
      count: z.number().int().nonnegative(),
      durationMs: z.number().nonnegative(),
      /** Points after caps and recovery (<= 0). */
      points: z.number().max(0),
      /** Points before the per-kind cap (<= 0), to show when a cap applied. */
      uncappedPoints: z.number().max(0),
    })
    .strict(),
  z
    .object({
      type: z.literal('share'),
      /** Union of the time the flags of policy.scoring.affectedShare.kinds lasted (ms). */
      affectedMs: z.number().nonnegative(),
      /** affectedMs as a share of the elapsed interview, 0..1. */
      share: z.number().min(0).max(1),
      /** Points it cost (<= 0): affectedShare.points x share, scaled with the total cap. */
      points: z.number().max(0),
    })
    .strict(),
]);
export type ScoreContribution = z.infer<typeof ScoreContributionSchema>;

export const ScoreResultSchema = z
  .object({
    /** Integer 0..100. */
    score: z.number().int().min(0).max(100),
    /** Score from the positive signals alone, before penalties. */
    base: z.number().min(0).max(100),
    /** Share of the elapsed interview that was measured with usable quality. */
    coverage: z.number().min(0).max(1),
    measuredMs: z.number().nonnegative(),
    elapsedMs: z.number().nonnegative(),
    contributions: z.array(ScoreContributionSchema),
    /**
     * Points each counted flag cost (<= 0), by flagId: its part of its kind's penalty and of the
     * affected-share term, after caps. Sums to the penalty contributions. Dismissed flags are absent.
     */
    flagPoints: z.record(z.string(), z.number().max(0)).optional(),
  })
  .strict();
export type ScoreResult = z.infer<typeof ScoreResultSchema>;

export const ScorePointSchema = z
  .object({ tMs: z.number(), score: z.number().int().min(0).max(100), coverage: z.number() })
  .strict();
export type ScorePoint = z.infer<typeof ScorePointSchema>;

const StatSchema = z
  .object({
    mean: z.number(),
    min: z.number(),
    max: z.number(),
    p10: z.number(),
    p90: z.number(),
    samples: z.number().int().nonnegative(),
  })
  .strict()
  .nullable();
export type Stat = z.infer<typeof StatSchema>;

/**
 * The summary a parent system fetches. snake_case because it is an external API document.
 * It reports attention and integrity signals for a human reviewer, never a decision, and never
 * emotions, personality or other traits.
 */
export const InterviewSummarySchema = z
  .object({
    schema_version: z.literal(1),
    final_score: z.number().int().min(0).max(100),
    base_score: z.number().min(0).max(100),
    coverage: z.number().min(0).max(1),
    duration_ms: z.number().nonnegative(),
    measured_ms: z.number().nonnegative(),
    flags: z.record(
      EventKindSchema,
      z
        .object({
          count: z.number().int().nonnegative(),
          total_duration_ms: z.number().nonnegative(),
          confirmed: z.number().int().nonnegative(),
          dismissed: z.number().int().nonnegative(),
        })
        .strict(),
    ),
    metrics: z
      .object({
        gaze_stability: StatSchema,
        head_movement_deg_per_s: StatSchema,
        focus_consistency: StatSchema,
        face_presence: StatSchema,
        analysed_fps: StatSchema,
      })
      .strict(),
    score_breakdown: z.array(ScoreContributionSchema),
    /** Points each counted flag cost (<= 0), by flag id (ScoreResult.flagPoints). */
    flag_points: z.record(z.string(), z.number().max(0)).optional(),
    notice: z.string(),
  })
  .strict();
export type InterviewSummary = z.infer<typeof InterviewSummarySchema>;

export const REVIEW_NOTICE =
  'Attention and integrity signals for a human reviewer. This is evidence, not a hiring decision. ' +
  'No emotions, personality or other traits are inferred.';
