import { plausibleRest } from './calibration';
import type { Baseline, FrameFeatures } from './frame-features';
import { clamp, median } from './numeric';

/**
 * Where the screen is, refined from the candidate's own behaviour after calibration.
 *
 * Why: calibration takes the first seconds of the interview as the neutral pose. A candidate who
 * happens to think aside then (head 10° off, eyes following) gets a baseline 10° off, and every
 * honest glance to the other side reads 10° too far: thinking with the head 15° and the eyes 10°
 * the other way becomes a look-away. Over an interview an honest candidate looks at the screen
 * most of the time, so the median of the frames judged on screen sits where the screen is.
 *
 * What keeps it honest: only frames judged on screen against the current baseline and within
 * PLAUSIBLE_REST count (a look-away, however long, never pulls the baseline towards itself), the
 * median needs REST_MIN_SPAN_MS of such frames, and the refined pose stays within
 * REST_MAX_DRIFT_DEG of the calibrated one on every angle, so a candidate cannot walk the baseline
 * off towards a second screen a little at a time. Recalibrating starts again from the new pose.
 */
export const REST_WINDOW_MS = 60_000;
export const REST_MIN_SPAN_MS = 20_000;
/** Frames kept at most this often (4/s): the median needs a few hundred points, not every frame. */
export const REST_SAMPLE_EVERY_MS = 250;
export const REST_MIN_POINTS = 40;
export const REST_UPDATE_EVERY_MS = 5_000;
export const REST_MAX_DRIFT_DEG = 12;

/** A kept frame: its time and the five angles, in the order of ANGLES. */
interface RestPoint {
  tMs: number;
  angles: readonly number[];
}

const ANGLES = [
  (b: Baseline) => b.pose.yawDeg,
  (b: Baseline) => b.pose.pitchDeg,
  (b: Baseline) => b.pose.rollDeg,
  (b: Baseline) => b.gaze.horizontalDeg,
  (b: Baseline) => b.gaze.verticalDeg,
] as const;

export interface RestPose {
  /** Starts over from a (new) calibrated baseline. */
  reset(calibrated: Baseline): void;
  /**
   * One analysed frame and whether it was judged on screen against the current baseline. Returns
   * the refined baseline when it changed, else null.
   */
  add(features: FrameFeatures, onScreen: boolean | null): Baseline | null;
}

export function createRestPose(): RestPose {
  let calibrated: Baseline | null = null;
  let points: RestPoint[] = [];
  let lastKeptMs = -Infinity;
  let lastUpdateMs = -Infinity;

  function refined(): Baseline | null {
    if (calibrated === null || points.length < REST_MIN_POINTS) return null;
    const first = points[0];
    const last = points[points.length - 1];
    if (first === undefined || last === undefined) return null;
    if (last.tMs - first.tMs < REST_MIN_SPAN_MS) return null;
    const from = calibrated;
    const [yawDeg, pitchDeg, rollDeg, horizontalDeg, verticalDeg] = ANGLES.map((angle, i) => {
      const at = angle(from);
      const values = points.map((p) => p.angles[i] ?? at);
      return clamp(median(values) ?? at, at - REST_MAX_DRIFT_DEG, at + REST_MAX_DRIFT_DEG);
    }) as [number, number, number, number, number];
    return { pose: { yawDeg, pitchDeg, rollDeg }, gaze: { horizontalDeg, verticalDeg } };
  }

  return {
    reset(baseline) {
      calibrated = baseline;
      points = [];
      lastKeptMs = -Infinity;
      lastUpdateMs = -Infinity;
    },

    add(features, onScreen) {
      const { main } = features;
      const t = features.timestampMs;
      if (calibrated === null || onScreen !== true || features.faceCount !== 1) return null;
      if (main === null || main.pose === null || main.gaze === null) return null;
      const { pose, gaze } = main;
      if (!plausibleRest(pose.yawDeg, pose.pitchDeg, gaze.horizontalDeg)) return null;
      if (t - lastKeptMs >= REST_SAMPLE_EVERY_MS) {
        lastKeptMs = t;
        points.push({ tMs: t, angles: ANGLES.map((angle) => angle({ pose, gaze })) });
        const from = points.findIndex((p) => p.tMs > t - REST_WINDOW_MS);
        if (from > 0) points = points.slice(from);
      }
      if (t - lastUpdateMs < REST_UPDATE_EVERY_MS) return null;
      const next = refined();
      if (next !== null) lastUpdateMs = t;
      return next;
    },
  };
}
