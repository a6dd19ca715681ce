import type { Policy } from '../policy/policy';
import type {
  Baseline,
  FaceObservation,
  FrameFeatures,
  FrameVerdict,
  Gaze,
} from './frame-features';
import { wrapDeg } from './numeric';
import { classifyQuality } from './quality-issue';

/**
 * Where the candidate looks, degrees in the image frame (positive = right / up): head yaw/pitch
 * plus the eyes' gaze relative to the head (small-angle sum, good to a few degrees within ±30°).
 * Null without both a head pose and a gaze.
 *
 * Why combine: people keep their eyes on the screen while turning the head a little (and the
 * reverse). Judging eye-in-head gaze alone would call "head turned 15°, eyes back on the screen"
 * looking away, and "head turned 15°, eyes straight ahead" on screen; the sum gets both right.
 */
export function lookDirectionDeg(observation: FaceObservation): Gaze | null {
  const { pose, gaze } = observation;
  if (pose === null || gaze === null) return null;
  return {
    horizontalDeg: pose.yawDeg + gaze.horizontalDeg,
    verticalDeg: pose.pitchDeg + gaze.verticalDeg,
  };
}

/** The baseline's look direction: neutral head pose plus neutral eye gaze (zero without one). */
export function baselineLookDirectionDeg(baseline: Baseline | null): Gaze {
  if (baseline === null) return { horizontalDeg: 0, verticalDeg: 0 };
  return {
    horizontalDeg: baseline.pose.yawDeg + baseline.gaze.horizontalDeg,
    verticalDeg: baseline.pose.pitchDeg + baseline.gaze.verticalDeg,
  };
}

/**
 * Per-frame verdict against the baseline.
 *
 * - usable: the frame can be measured. A frame in which MediaPipe found a face is usable however
 *   dark, noisy or soft it is: the detector read it, so its face count and pose are evidence (a
 *   dim room must not switch the monitoring off). A frame without a face is usable only when its
 *   image quality is fine (classifyQuality 'none'); otherwise "no face" may just mean "could not
 *   see", a measurement problem, never the candidate's absence. `qualityIssue` still says what
 *   was wrong with the picture.
 * - onScreen: null before calibration (webcams sit off-centre and MediaPipe's neutral pitch is
 *   not zero, so without the candidate's own neutral pose "looking away" cannot be judged
 *   fairly), and null unless exactly one face with a head pose. Otherwise true when, relative to
 *   the neutral pose, |yaw| <= maxYawDeg, |pitch| <= maxPitchDeg and the horizontal eye gaze in
 *   the head |gaze| <= maxGazeDeg. Head and eyes are judged separately, as a person describes it
 *   ("turned the head", "looked aside"): a head turned 20° with the eyes back on the screen, or
 *   eyes moved 10° inside a still head, both stay on screen. Vertical eye movement is left out:
 *   MediaPipe's vertical iris estimate is too noisy to judge, and looking down at notes is done
 *   with the head. Without a gaze (mid-blink) the eyes count as resting at their neutral gaze.
 * - awayRatio: the largest of the three deviations as a share of its limit (> 1 = off screen).
 */
export function judgeFrame(
  features: FrameFeatures,
  baseline: Baseline | null,
  policy: Policy,
): FrameVerdict {
  const qualityIssue = classifyQuality(features.quality, policy);
  const relative = relativeLook(features, baseline);
  const awayRatio = relative === null ? null : awayRatioOf(relative, policy);
  const measured = features.quality.measured !== false;
  return {
    timestampMs: features.timestampMs,
    faceCount: features.faceCount,
    usable: qualityIssue === 'none' || features.faceCount > 0,
    qualityIssue,
    onScreen: awayRatio === null ? null : awayRatio <= 1,
    awayRatio,
    relative,
    luminance: measured ? features.quality.luminance : null,
    sharpness: measured ? features.quality.sharpness : null,
  };
}

function relativeLook(
  features: FrameFeatures,
  baseline: Baseline | null,
): { yawDeg: number; pitchDeg: number; gazeDeg: number } | null {
  const { main } = features;
  if (baseline === null) return null;
  if (features.faceCount !== 1 || main === null || main.pose === null) return null;
  const gaze = main.gaze ?? baseline.gaze;
  const relative = {
    yawDeg: wrapDeg(main.pose.yawDeg - baseline.pose.yawDeg),
    pitchDeg: wrapDeg(main.pose.pitchDeg - baseline.pose.pitchDeg),
    gazeDeg: gaze.horizontalDeg - baseline.gaze.horizontalDeg,
  };
  return Object.values(relative).every(Number.isFinite) ? relative : null;
}

function awayRatioOf(
  relative: { yawDeg: number; pitchDeg: number; gazeDeg: number },
  policy: Policy,
): number {
  const { maxYawDeg, maxPitchDeg, maxGazeDeg } = policy.tracking;
  return Math.max(
    Math.abs(relative.yawDeg) / maxYawDeg,
    Math.abs(relative.pitchDeg) / maxPitchDeg,
    Math.abs(relative.gazeDeg) / maxGazeDeg,
  );
}
