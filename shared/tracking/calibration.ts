import type { Baseline, FrameFeatures } from './frame-features';
import { median } from './numeric';

/**
 * The camera axis as a baseline (all zeros). Not used implicitly: judgeFrame with a null
 * baseline judges no one-face frame (MediaPipe's neutral pitch for a frontal face is about −16°
 * and webcams sit off-centre). Pass it explicitly to judge against the camera axis.
 */
export const DEFAULT_BASELINE: Baseline = {
  pose: { yawDeg: 0, pitchDeg: 0, rollDeg: 0 },
  gaze: { horizontalDeg: 0, verticalDeg: 0 },
};

/**
 * Fewest qualifying frames for a baseline: at the default 10 fps and 3 s of calibration about
 * 30 are offered; fewer than 5 (half a second) is too little to trust a median.
 */
export const MIN_CALIBRATION_FRAMES = 5;

/**
 * Where a resting pose can plausibly be, in MediaPipe's absolute angles: within 25° of yaw of the
 * camera axis, pitch between −35° and +10° (MediaPipe reads a frontal face at about −10° to −16°),
 * eyes within 15° of the middle. A "rest" outside it is a glance, a turn or a look down that
 * happened during calibration, not where the screen is.
 */
export const PLAUSIBLE_REST = {
  maxAbsYawDeg: 25,
  minPitchDeg: -35,
  maxPitchDeg: 10,
  maxAbsGazeDeg: 15,
} as const;

/**
 * Largest interquartile range (degrees) of yaw, pitch or horizontal gaze over the calibration
 * frames: a wider spread means the candidate moved (a turn or a glance straddled the window),
 * so the median would sit between two poses.
 */
export const MAX_CALIBRATION_SPREAD_DEG = 8;

export interface CalibrationOptions {
  /**
   * true (default): only frames within PLAUSIBLE_REST count, and a window whose spread exceeds
   * MAX_CALIBRATION_SPREAD_DEG gives no baseline (the caller tries again). false: the plain
   * median, for a candidate whose screen really is far off the camera's axis (the caller falls
   * back to it after a few strict tries, so monitoring cannot be avoided by sitting askew).
   */
  strict?: boolean;
}

/**
 * The candidate's neutral pose and gaze: the per-angle median over the calibration frames that
 * have exactly one face with both a head pose and a gaze, however dark or noisy the picture (a
 * face MediaPipe found is measured; a dim room must still calibrate). Medians ignore the odd
 * glance or blink-time landmark glitch that a mean would absorb; the strict checks (options)
 * reject a window in which the candidate was turned away or moving. Null when fewer than
 * MIN_CALIBRATION_FRAMES frames qualify or the window is rejected; callers then keep the
 * previous baseline, or null (no looking-away verdicts) when there is none, and report
 * `calibrated: false`.
 */
export function calibrateBaseline(
  frames: readonly FrameFeatures[],
  options: CalibrationOptions = {},
): Baseline | null {
  const strict = options.strict ?? true;
  const yaw: number[] = [];
  const pitch: number[] = [];
  const roll: number[] = [];
  const horizontal: number[] = [];
  const vertical: number[] = [];
  for (const frame of frames) {
    const { main } = frame;
    if (frame.faceCount !== 1 || main === null || main.pose === null || main.gaze === null) {
      continue;
    }
    const { pose, gaze } = main;
    const values = [pose.yawDeg, pose.pitchDeg, pose.rollDeg, gaze.horizontalDeg, gaze.verticalDeg];
    if (!values.every(Number.isFinite)) continue;
    if (strict && !plausibleRest(pose.yawDeg, pose.pitchDeg, gaze.horizontalDeg)) continue;
    yaw.push(pose.yawDeg);
    pitch.push(pose.pitchDeg);
    roll.push(pose.rollDeg);
    horizontal.push(gaze.horizontalDeg);
    vertical.push(gaze.verticalDeg);
  }
  if (yaw.length < MIN_CALIBRATION_FRAMES) return null;
  if (strict && [yaw, pitch, horizontal].some((v) => iqr(v) > MAX_CALIBRATION_SPREAD_DEG)) {
    return null;
  }
  return {
    pose: {
      yawDeg: median(yaw) ?? 0,
      pitchDeg: median(pitch) ?? 0,
      rollDeg: median(roll) ?? 0,
    },
    gaze: {
      horizontalDeg: median(horizontal) ?? 0,
      verticalDeg: median(vertical) ?? 0,
    },
  };
}

/** Whether absolute angles lie within PLAUSIBLE_REST (where a screen can be). */
export function plausibleRest(yawDeg: number, pitchDeg: number, gazeDeg: number): boolean {
  const p = PLAUSIBLE_REST;
  return (
    Math.abs(yawDeg) <= p.maxAbsYawDeg &&
    pitchDeg >= p.minPitchDeg &&
    pitchDeg <= p.maxPitchDeg &&
    Math.abs(gazeDeg) <= p.maxAbsGazeDeg
  );
}

/** Interquartile range (nearest-rank quartiles). */
function iqr(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return at(0.75) - at(0.25);
}
