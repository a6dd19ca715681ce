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
 * - usable: the image quality allows measuring (classifyQuality is 'none'). An unusable frame
 *   without a face is a measurement problem, not the candidate's absence; consumers must not
 *   count it as "no face".
 * - onScreen: null before calibration (webcams sit off-centre and MediaPipe's neutral pitch is
 *   not zero, so without the candidate's own neutral pose "looking away" cannot be judged
 *   fairly), and null unless exactly one face with a head pose. Otherwise true when the head is
 *   within maxYawDeg / maxPitchDeg of the neutral pose AND the look direction (lookDirectionDeg:
 *   head + eyes) is within maxGazeDeg (Euclidean over horizontal and vertical) of the neutral
 *   look direction. Without a gaze (eyes closed mid-blink, no irises) the eyes are taken to rest
 *   at their neutral gaze, so a blink alone never reads as looking away. It is computed for
 *   unusable frames too (MediaPipe found the face after all); consumers weigh it with `usable`.
 */
export function judgeFrame(
  features: FrameFeatures,
  baseline: Baseline | null,
  policy: Policy,
): FrameVerdict {
  const qualityIssue = classifyQuality(features.quality, policy);
  return {
    timestampMs: features.timestampMs,
    faceCount: features.faceCount,
    usable: qualityIssue === 'none',
    qualityIssue,
    onScreen: isOnScreen(features, baseline, policy),
  };
}

function isOnScreen(
  features: FrameFeatures,
  baseline: Baseline | null,
  policy: Policy,
): boolean | null {
  const { main } = features;
  if (baseline === null) return null;
  if (features.faceCount !== 1 || main === null || main.pose === null) return null;
  const { maxYawDeg, maxPitchDeg, maxGazeDeg } = policy.tracking;
  const neutral = baseline;
  const yawDeltaDeg = wrapDeg(main.pose.yawDeg - neutral.pose.yawDeg);
  const pitchDeltaDeg = wrapDeg(main.pose.pitchDeg - neutral.pose.pitchDeg);
  if (Math.abs(yawDeltaDeg) > maxYawDeg || Math.abs(pitchDeltaDeg) > maxPitchDeg) return false;
  // Look direction relative to the neutral one = head delta + eye delta; missing eyes count as
  // resting at their neutral gaze.
  const gaze = main.gaze ?? neutral.gaze;
  const deviationDeg = Math.hypot(
    yawDeltaDeg + (gaze.horizontalDeg - neutral.gaze.horizontalDeg),
    pitchDeltaDeg + (gaze.verticalDeg - neutral.gaze.verticalDeg),
  );
  return deviationDeg <= maxGazeDeg;
}
