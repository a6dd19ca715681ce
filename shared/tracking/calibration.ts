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
 * The candidate's neutral pose and gaze: the per-angle median over the calibration frames that
 * have exactly one face with both a head pose and a gaze, however dark or noisy the picture (a
 * face MediaPipe found is measured; a dim room must still calibrate). Medians
 * ignore the odd glance or blink-time landmark glitch that a mean would absorb. Null when fewer
 * than MIN_CALIBRATION_FRAMES frames qualify; callers then keep the previous baseline, or null
 * (no looking-away verdicts) when there is none, and report `calibrated: false`.
 */
export function calibrateBaseline(frames: readonly FrameFeatures[]): Baseline | null {
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
    yaw.push(pose.yawDeg);
    pitch.push(pose.pitchDeg);
    roll.push(pose.rollDeg);
    horizontal.push(gaze.horizontalDeg);
    vertical.push(gaze.verticalDeg);
  }
  if (yaw.length < MIN_CALIBRATION_FRAMES) return null;
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
