import { z } from 'zod';
import { MAX_EPOCH_MS } from './bounds';

/** Unit interval: shares and ratios are always 0..1. */
const unit = z.number().min(0).max(1);
/** Any real number: zod 4's z.number() already rejects NaN and ±Infinity. */
const finite = z.number();

/**
 * One second of on-device analysis, summarised. It carries no landmarks, pixels or
 * face templates by construction: every field is a scalar statistic.
 * Times are the candidate's clock in epoch milliseconds.
 */
export const METRIC_SAMPLE_FIELDS = {
  type: z.literal('metric_sample'),
  v: z.literal(1),
  /** Sender stream (one per page load) and its sequence number, for de-duplication and acks. */
  stream: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/),
  seq: z.number().int().nonnegative(),
  windowStartMs: finite.nonnegative().max(MAX_EPOCH_MS),
  windowEndMs: finite.nonnegative().max(MAX_EPOCH_MS),
  /** Frames the camera delivered and frames actually analysed in the window. */
  framesOffered: z.number().int().nonnegative().max(10_000),
  framesAnalysed: z.number().int().nonnegative().max(10_000),
  analysedFps: finite.nonnegative().max(240),
  /** Median wall time of one analysis call in the window (ms); null when nothing was analysed. */
  inferenceMsMedian: finite.nonnegative().max(60_000).nullable(),
  faceCountMax: z.number().int().nonnegative().max(16),
  /** Share of analysed frames with exactly one / no / several faces. */
  oneFaceRatio: unit,
  noFaceRatio: unit,
  multiFaceRatio: unit,
  /** Gaze stability 0..1 (1 = steady) and the dispersion behind it in degrees; null without gaze. */
  gazeStability: unit.nullable(),
  gazeDispersionDeg: finite.nonnegative().max(180).nullable(),
  /** Mean angular head speed (deg/s) and sudden large turns in the window. */
  headSpeedDegPerS: finite.nonnegative().max(10_000).nullable(),
  suddenTurns: z.number().int().nonnegative().max(1_000),
  /** Share of analysed frames with one face whose head and gaze point at the screen. */
  focusConsistency: unit.nullable(),
  /** Share of analysed frames looking away (head or gaze outside the calibrated range). */
  lookingAwayRatio: unit.nullable(),
  /** Mean head pose relative to the calibrated neutral pose, degrees. */
  yawDeg: finite.min(-180).max(180).nullable(),
  pitchDeg: finite.min(-180).max(180).nullable(),
  rollDeg: finite.min(-180).max(180).nullable(),
  blinkRatePerMin: finite.nonnegative().max(600).nullable(),
  /** Mean luminance 0..255 and a sharpness figure (variance of the Laplacian) of the frame and face. */
  luminance: finite.min(0).max(255).nullable(),
  sharpness: finite.nonnegative().max(1e7).nullable(),
  faceLuminance: finite.min(0).max(255).nullable(),
  /** Share of the window measured with usable quality; every figure above rests on this much evidence. */
  coverage: unit,
  /** Why coverage was lost, if it was: darkness, glare, blur, covered camera, analysis gap. */
  qualityIssue: z.enum(['none', 'dark', 'glare', 'blur', 'covered', 'no_frames', 'analysis_gap']),
  calibrated: z.boolean(),
  /**
   * Identity check (opt-in, with consent): cosine similarity 0..1 of the face now to the face
   * enrolled at calibration, computed on the device; the descriptor itself never leaves it.
   * Absent when the check is off, null when no comparison was made in the window.
   */
  identitySimilarity: unit.nullable().optional(),
  /** Score the candidate page computed for itself: recorded, never trusted. */
  provisionalScore: z.number().min(0).max(100).nullable().optional(),
};

/** Cross-field rules, shared by the wire schema and the stored one. */
export function checkSampleConsistency(
  s: { windowStartMs: number; windowEndMs: number; framesAnalysed: number; framesOffered: number },
  ctx: z.RefinementCtx,
): void {
  if (s.windowEndMs < s.windowStartMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['windowEndMs'],
      message: 'windowEndMs must not precede windowStartMs',
    });
  }
  if (s.framesAnalysed > s.framesOffered) {
    ctx.addIssue({
      code: 'custom',
      path: ['framesAnalysed'],
      message: 'framesAnalysed cannot exceed framesOffered',
    });
  }
}

export const MetricSampleSchema = z
  .object(METRIC_SAMPLE_FIELDS)
  .strict()
  .superRefine(checkSampleConsistency);

export type MetricSample = z.infer<typeof MetricSampleSchema>;

/** Decimal places kept on the wire: far finer than any measurement here is accurate. */
const WIRE_DECIMALS = 3;

/**
 * Rounds a sample's fractional figures (ratios, degrees, luminance) to WIRE_DECIMALS, so that a
 * value like 117.78072916666665 costs 7 bytes instead of 18. Integers and times are untouched.
 * Rounding never leaves a schema range: every bound is a whole number.
 */
export function compactSample<T extends Record<string, unknown>>(sample: T): T {
  const factor = 10 ** WIRE_DECIMALS;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sample)) {
    out[key] =
      typeof value === 'number' && !Number.isInteger(value) && !key.endsWith('Ms')
        ? Math.round(value * factor) / factor
        : value;
  }
  return out as T;
}
