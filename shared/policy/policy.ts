import { z } from 'zod';
import { EventKindSchema, type EventKind } from '../protocol/integrity-event';

/**
 * Every threshold and weight of tracking, detection and scoring, in one validated object.
 * The README's "Policy" section documents each field; change them here, nowhere else.
 */
export const PolicySchema = z
  .object({
    tracking: z
      .object({
        /** Analysis rate the candidate's browser aims for; slower devices drop frames instead. */
        targetFps: z.number().min(1).max(30),
        /** Seconds of neutral pose and gaze collected after joining (and after "recalibrate"). */
        calibrationSeconds: z.number().min(1).max(30),
        /** Head counts as "at the screen" within these angles of the calibrated neutral pose. */
        maxYawDeg: z.number().min(5).max(90),
        maxPitchDeg: z.number().min(5).max(90),
        /** Gaze counts as "at the screen" within this angle of the calibrated neutral gaze. */
        maxGazeDeg: z.number().min(2).max(60),
        /** A head turn faster than this (deg/s) counts as a sudden turn. */
        suddenTurnDegPerS: z.number().min(30).max(2000),
        /** Gaze dispersion (deg) at which stability reaches 0; stability falls linearly up to it. */
        gazeDispersionForZeroStabilityDeg: z.number().min(1).max(90),
        /** Below this mean luminance (0..255) the frame is too dark to measure. */
        minLuminance: z.number().min(0).max(255),
        /** Above this mean luminance the frame is washed out by glare. */
        maxLuminance: z.number().min(0).max(255),
        /** Below this Laplacian variance the frame is too blurred to measure. */
        minSharpness: z.number().min(0),
        /** Eye-blink blendshape above which the eye counts as closed. */
        blinkThreshold: z.number().min(0).max(1),
      })
      .strict(),
    detection: z
      .object({
        /** No face for at least this long raises no_face; shorter gaps are ignored. */
        noFaceMinMs: z.number().int().min(0),
        /** Several faces for at least this long raise multiple_faces. */
        multipleFacesMinMs: z.number().int().min(0),
        /** Looking away for at least this long raises looking_away: brief glances never do. */
        lookingAwayMinMs: z.number().int().min(0),
        /** A condition must be absent this long before an open event ends (debounce). */
        endGraceMs: z.number().int().min(0),
        /** Poor measurement for at least this long raises poor_quality (a coverage note). */
        poorQualityMinMs: z.number().int().min(0),
        /** A covered camera for at least this long raises camera_covered. */
        cameraCoveredMinMs: z.number().int().min(0),
        /**
         * Interruptions shorter than this (a face the detector lost for a few frames, one frame
         * under a limit) are bridged with the last state instead of restarting a condition.
         */
        dropoutBridgeMs: z.number().int().min(0).max(5000),
        /** A face lost while looking away still counts as looking away for this long. */
        lostFaceAfterTurnMs: z.number().int().min(0).max(30_000),
        /**
         * Hysteresis: a running look-away goes on while the head or eyes stay beyond this share
         * of their limits (it starts only beyond the limits themselves).
         */
        lookingAwayReleaseRatio: z.number().min(0.5).max(1),
        /** The same for the head's yaw and pitch (steadier than the eyes: less hysteresis). */
        lookingAwayHeadRelease: z.number().min(0.5).max(1),
        /**
         * A faceless frame is a covered camera when its luminance AND sharpness fall below these
         * shares of the recent good picture (or it is dark and featureless outright).
         */
        coveredLuminanceShare: z.number().min(0).max(1),
        coveredSharpnessShare: z.number().min(0).max(1),
      })
      .strict(),
    scoring: z
      .object({
        /** Weights of the positive signals in the base score; they need not sum to 1. */
        weights: z
          .object({
            focusConsistency: z.number().min(0),
            gazeStability: z.number().min(0),
            calmHead: z.number().min(0),
          })
          .strict(),
        /** Head speed (deg/s) at which "calm head" reaches 0. */
        headSpeedForZeroCalmDegPerS: z.number().positive(),
        /** Base score used while nothing has been measured yet. */
        unmeasuredBase: z.number().min(0).max(100),
        /**
         * Points the positive signals can cost at most: base = 100 − baseSpan · (1 − weighted
         * mean). Glances and fidgeting are normal; the integrity flags carry the weight.
         */
        baseSpan: z.number().min(0).max(100),
        /**
         * Share of the interview affected: the union of the time these kinds of flag lasted, as a
         * share of the elapsed interview, costs `points` × share (all of it: `points`). It makes a
         * problem that covers much of a short interview as costly as in a long one.
         */
        affectedShare: z
          .object({ kinds: z.array(EventKindSchema).max(30), points: z.number().min(0).max(500) })
          .strict(),
        /** Per event kind: points for the event itself, points per minute it lasts, and a cap. */
        penalties: z.record(
          EventKindSchema,
          z
            .object({
              points: z.number().min(0).max(100),
              pointsPerMinute: z.number().min(0).max(100),
              cap: z.number().min(0).max(100),
            })
            .strict(),
        ),
        /** Cap on all penalties together, so the score keeps a floor of evidence. */
        totalPenaltyCap: z.number().min(0).max(100),
        /** Half-life of a penalty after its event ended; 0 turns recovery off. */
        recoveryHalfLifeMs: z.number().int().min(0),
        /** Penalties never recover below this share of their full value. */
        recoveryFloor: z.number().min(0).max(1),
        /** Looking away while the candidate speaks (thinking aloud) counts this much. */
        lookingAwayWhileSpeakingFactor: z.number().min(0).max(1),
        /** ...and this long before the candidate starts answering counts the same. */
        answerLeadInMs: z.number().int().min(0),
      })
      .strict(),
  })
  .strict()
  .refine((p) => p.tracking.minLuminance < p.tracking.maxLuminance, {
    message: 'minLuminance must be below maxLuminance',
    path: ['tracking', 'minLuminance'],
  });

export type Policy = z.infer<typeof PolicySchema>;

type Penalty = Policy['scoring']['penalties'][EventKind];
const none: Penalty = { points: 0, pointsPerMinute: 0, cap: 0 };

export const DEFAULT_POLICY: Policy = PolicySchema.parse({
  tracking: {
    targetFps: 10,
    calibrationSeconds: 3,
    maxYawDeg: 28,
    maxPitchDeg: 20,
    maxGazeDeg: 15,
    suddenTurnDegPerS: 120,
    gazeDispersionForZeroStabilityDeg: 15,
    minLuminance: 35,
    maxLuminance: 235,
    minSharpness: 8,
    blinkThreshold: 0.5,
  },
  detection: {
    noFaceMinMs: 800,
    multipleFacesMinMs: 800,
    lookingAwayMinMs: 1800,
    endGraceMs: 700,
    poorQualityMinMs: 3000,
    cameraCoveredMinMs: 800,
    dropoutBridgeMs: 700,
    lostFaceAfterTurnMs: 3000,
    lookingAwayReleaseRatio: 0.85,
    lookingAwayHeadRelease: 0.95,
    coveredLuminanceShare: 0.5,
    coveredSharpnessShare: 0.5,
  },
  scoring: {
    weights: { focusConsistency: 0.5, gazeStability: 0.3, calmHead: 0.2 },
    headSpeedForZeroCalmDegPerS: 90,
    unmeasuredBase: 100,
    baseSpan: 40,
    affectedShare: {
      kinds: [
        'no_face',
        'camera_covered',
        'multiple_faces',
        'looking_away',
        'page_hidden',
        'camera_ended',
        'camera_muted',
      ],
      points: 150,
    },
    penalties: {
      page_hidden: { points: 8, pointsPerMinute: 10, cap: 30 },
      window_blur: { points: 4, pointsPerMinute: 6, cap: 20 },
      fullscreen_exit: { points: 3, pointsPerMinute: 3, cap: 10 },
      copy: { points: 3, pointsPerMinute: 0, cap: 12 },
      cut: { points: 3, pointsPerMinute: 0, cap: 12 },
      paste: { points: 6, pointsPerMinute: 0, cap: 20 },
      context_menu: { points: 1, pointsPerMinute: 0, cap: 5 },
      camera_ended: { points: 10, pointsPerMinute: 10, cap: 30 },
      camera_muted: { points: 6, pointsPerMinute: 8, cap: 25 },
      microphone_muted: { points: 2, pointsPerMinute: 2, cap: 10 },
      device_changed: { points: 2, pointsPerMinute: 0, cap: 8 },
      virtual_camera: { points: 15, pointsPerMinute: 0, cap: 15 },
      multiple_displays: { points: 5, pointsPerMinute: 0, cap: 5 },
      no_face: { points: 6, pointsPerMinute: 8, cap: 30 },
      multiple_faces: { points: 12, pointsPerMinute: 10, cap: 35 },
      looking_away: { points: 3, pointsPerMinute: 6, cap: 25 },
      camera_covered: { points: 6, pointsPerMinute: 8, cap: 30 },
      reading: { points: 6, pointsPerMinute: 10, cap: 30 },
      identity_changed: { points: 20, pointsPerMinute: 10, cap: 40 },
      poor_quality: none,
      connection_lost: none,
      analysis_failed: none,
      camera_failed: none,
      identity_uncertain: none,
    },
    totalPenaltyCap: 90,
    recoveryHalfLifeMs: 10 * 60_000,
    recoveryFloor: 0.5,
    lookingAwayWhileSpeakingFactor: 0.3,
    answerLeadInMs: 3000,
  },
});
