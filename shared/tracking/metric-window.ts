import type { Policy } from '../policy/policy';
import type { MetricSample } from '../protocol/metric-sample';
import type {
  Baseline,
  FrameFeatures,
  FrameVerdict,
  Gaze,
  HeadPose,
  QualityIssue,
} from './frame-features';
import { judgeFrame, lookDirectionDeg } from './frame-verdict';
import { angleBetweenPosesDeg } from './head-pose';
import { clamp, mean, median, wrapDeg } from './numeric';

/** Everything of a MetricSample the window decides; the sender adds type, v, stream and seq. */
export type MetricSampleBody = Omit<
  MetricSample,
  'type' | 'v' | 'stream' | 'seq' | 'provisionalScore'
>;

export interface SummariseWindowOptions {
  /** Candidate clock, epoch ms; the window is [windowStartMs, windowEndMs). */
  windowStartMs: number;
  windowEndMs: number;
  /** Frames the camera delivered in the window, analysed or dropped. */
  framesOffered: number;
  /**
   * Neutral pose and gaze; null before calibration. Without a baseline no one-face frame is
   * judged on or off screen (judgeFrame), and yaw/pitch/rollDeg are relative to the camera axis.
   * Pass DEFAULT_BASELINE to judge against the camera axis explicitly.
   */
  baseline: Baseline | null;
  policy: Policy;
}

/** Schema caps (MetricSampleSchema); every figure is clamped into them. */
const MAX_FRAMES = 10_000;
const MAX_FPS = 240;
const MAX_INFERENCE_MS = 60_000;
const MAX_FACE_COUNT = 16;
const MAX_DISPERSION_DEG = 180;
const MAX_HEAD_SPEED_DEG_PER_S = 10_000;
const MAX_SUDDEN_TURNS = 1_000;
const MAX_BLINKS_PER_MIN = 600;
const MAX_SHARPNESS = 1e7;

/** Order in which quality issues win a tie for "dominant": the more explanatory first. */
const ISSUE_PRECEDENCE: readonly Exclude<QualityIssue, 'none'>[] = [
  'covered',
  'dark',
  'glare',
  'blur',
];

/**
 * One window (normally 1 s) of frame features summarised into the MetricSample body.
 *
 * Frames are taken in timestamp order; the caller decides which frames belong to the window.
 * Every number is finite and within MetricSampleSchema's ranges. Definitions ("one-face frame" =
 * exactly one face with a head pose; "usable" = judgeFrame's verdict: a face was found, however
 * dark the picture, or the picture itself is readable):
 *
 * - framesAnalysed = frames given; framesOffered is raised to it if lower, so the sample stays
 *   valid. analysedFps = framesAnalysed / window seconds (0 for an empty or zero-length window).
 * - one/no/multiFaceRatio: over analysed frames; all 0 without frames.
 * - gazeDispersionDeg: RMS distance, degrees, of the look direction (head + eyes, see
 *   lookDirectionDeg) from its window mean over usable one-face frames with a gaze;
 *   gazeStability = 1 − dispersion / gazeDispersionForZeroStabilityDeg, clamped to 0..1.
 *   Both null with fewer than 2 such frames.
 * - headSpeedDegPerS: mean over pairs of ADJACENT analysed frames that are both one-face frames of
 *   (rotation angle between the two poses) / (time between them). A frame without one face
 *   breaks the chain: a speed across a gap, or between two different people, means nothing.
 *   Null without such a pair. suddenTurns counts runs of consecutive pairs faster than
 *   suddenTurnDegPerS, each run once (one swing spans several frames).
 * - focusConsistency: share of usable frames that are on screen; usable frames with no face or
 *   several faces count as not focused, one face without a verdict (no pose, or no baseline yet)
 *   is left out. Null without such frames: unusable frames are missing evidence, not
 *   inattention. So before calibration only frames without exactly one face count (focus 0 if
 *   there are any, else null).
 * - lookingAwayRatio: share of usable one-face frames whose verdict is "not on screen"; null if
 *   none (always null before calibration).
 * - yaw/pitch/rollDeg: mean head pose relative to the baseline (the camera axis without one) over
 *   usable one-face frames.
 * - blinkRatePerMin: closed→open transitions between consecutive frames with exactly one face
 *   (pose or not), per minute of window (one blink in a 1 s window reads 60/min; averaging
 *   windows gives the true rate). Null with fewer than 2 such frames: no transition can be seen.
 * - luminance/sharpness/faceLuminance: means over frames with measured quality (usable or not:
 *   they explain poor quality); null without any.
 * - coverage = min(1, usable frames / (targetFps × window seconds)).
 * - qualityIssue: 'no_frames' when the camera offered none, 'analysis_gap' when frames were
 *   offered but none analysed, the most frequent issue among unusable frames when those are more
 *   than half the analysed frames, else 'none'.
 */
export function summariseWindow(
  frames: readonly FrameFeatures[],
  options: SummariseWindowOptions,
): MetricSampleBody {
  const { baseline, policy } = options;
  const windowStartMs = Math.max(0, finiteOrZero(options.windowStartMs));
  const windowEndMs = Math.max(windowStartMs, finiteOrZero(options.windowEndMs));
  const windowSeconds = (windowEndMs - windowStartMs) / 1000;

  // `|| 0` keeps the order stable (and the comparator consistent) around non-finite timestamps.
  const ordered = [...frames].sort((a, b) => a.timestampMs - b.timestampMs || 0);
  const verdicts = ordered.map((frame) => judgeFrame(frame, baseline, policy));
  const analysed = ordered.length;
  const framesAnalysed = Math.min(analysed, MAX_FRAMES);
  const offeredGiven = Math.floor(finiteOrZero(options.framesOffered));
  const framesOffered = clamp(Math.max(offeredGiven, framesAnalysed), 0, MAX_FRAMES);

  /** The head pose of a one-face frame (exactly one face, with a pose), else null. */
  const oneFacePose = (frame: FrameFeatures): HeadPose | null =>
    frame.faceCount === 1 ? (frame.main?.pose ?? null) : null;

  // Face counts.
  let oneFace = 0;
  let noFace = 0;
  let multiFace = 0;
  let faceCountMax = 0;
  for (const frame of ordered) {
    const count = Math.max(0, Math.floor(finiteOrZero(frame.faceCount)));
    if (count === 0) noFace += 1;
    else if (count === 1) oneFace += 1;
    else multiFace += 1;
    faceCountMax = Math.max(faceCountMax, count);
  }
  const ratio = (count: number): number => (analysed === 0 ? 0 : clamp(count / analysed, 0, 1));

  // Gaze (look direction) dispersion.
  const looks: Gaze[] = [];
  ordered.forEach((frame, i) => {
    if (!verdicts[i]?.usable || oneFacePose(frame) === null || frame.main === null) return;
    const look = lookDirectionDeg(frame.main);
    if (look !== null && Number.isFinite(look.horizontalDeg) && Number.isFinite(look.verticalDeg)) {
      looks.push(look);
    }
  });
  const gazeDispersionDeg = looks.length < 2 ? null : rmsDispersionDeg(looks);
  const gazeStability =
    gazeDispersionDeg === null
      ? null
      : clamp(1 - gazeDispersionDeg / policy.tracking.gazeDispersionForZeroStabilityDeg, 0, 1);

  // Head speed and sudden turns over adjacent one-face pairs.
  const speeds: number[] = [];
  let suddenTurns = 0;
  let inFastRun = false;
  for (let i = 1; i < ordered.length; i += 1) {
    const previous = ordered[i - 1] as FrameFeatures;
    const current = ordered[i] as FrameFeatures;
    const dtS = (current.timestampMs - previous.timestampMs) / 1000;
    const previousPose = oneFacePose(previous);
    const currentPose = oneFacePose(current);
    if (previousPose === null || currentPose === null || !(dtS > 0) || !Number.isFinite(dtS)) {
      inFastRun = false;
      continue;
    }
    const speed = angleBetweenPosesDeg(previousPose, currentPose) / dtS;
    if (!Number.isFinite(speed)) {
      inFastRun = false;
      continue;
    }
    speeds.push(speed);
    const fast = speed > policy.tracking.suddenTurnDegPerS;
    if (fast && !inFastRun) suddenTurns += 1;
    inFastRun = fast;
  }
  const meanSpeed = mean(speeds);

  // Focus and looking away.
  let usable = 0;
  let focusDenominator = 0;
  let focused = 0;
  let judgedOneFace = 0;
  let lookingAway = 0;
  const unusableIssues = new Map<QualityIssue, number>();
  verdicts.forEach((verdict: FrameVerdict) => {
    if (!verdict.usable) {
      unusableIssues.set(verdict.qualityIssue, (unusableIssues.get(verdict.qualityIssue) ?? 0) + 1);
      return;
    }
    usable += 1;
    if (verdict.faceCount === 1 && verdict.onScreen === null) return;
    focusDenominator += 1;
    if (verdict.onScreen === true) focused += 1;
    if (verdict.onScreen !== null) {
      judgedOneFace += 1;
      if (!verdict.onScreen) lookingAway += 1;
    }
  });

  // Mean pose relative to the baseline.
  const yaw: number[] = [];
  const pitch: number[] = [];
  const roll: number[] = [];
  ordered.forEach((frame, i) => {
    const pose = oneFacePose(frame);
    if (!verdicts[i]?.usable || pose === null) return;
    yaw.push(wrapDeg(pose.yawDeg - (baseline?.pose.yawDeg ?? 0)));
    pitch.push(wrapDeg(pose.pitchDeg - (baseline?.pose.pitchDeg ?? 0)));
    roll.push(wrapDeg(pose.rollDeg - (baseline?.pose.rollDeg ?? 0)));
  });

  // Blinks: closed → open between consecutive one-face frames.
  let blinks = 0;
  let eyeFrames = 0;
  let previousClosed: boolean | null = null;
  for (const frame of ordered) {
    if (frame.faceCount !== 1 || frame.main === null) continue;
    eyeFrames += 1;
    if (previousClosed === true && !frame.main.eyesClosed) blinks += 1;
    previousClosed = frame.main.eyesClosed;
  }
  const blinkRatePerMin =
    eyeFrames < 2 || !(windowSeconds > 0)
      ? null
      : clamp((blinks / windowSeconds) * 60, 0, MAX_BLINKS_PER_MIN);

  // Image statistics.
  const measured = ordered.filter((frame) => frame.quality.measured !== false);
  const luminance = mean(measured.map((frame) => frame.quality.luminance));
  const sharpness = mean(measured.map((frame) => frame.quality.sharpness));
  const faceLuminance = mean(
    measured.flatMap((frame) =>
      frame.quality.faceLuminance === null ? [] : [frame.quality.faceLuminance],
    ),
  );

  const expectedFrames = policy.tracking.targetFps * windowSeconds;
  const coverage = expectedFrames > 0 ? clamp(usable / expectedFrames, 0, 1) : 0;

  return {
    windowStartMs,
    windowEndMs,
    framesOffered,
    framesAnalysed,
    analysedFps: windowSeconds > 0 ? clamp(analysed / windowSeconds, 0, MAX_FPS) : 0,
    inferenceMsMedian: nullableClamp(
      median(ordered.map((frame) => frame.inferenceMs).filter((ms) => ms >= 0)),
      0,
      MAX_INFERENCE_MS,
    ),
    faceCountMax: Math.min(faceCountMax, MAX_FACE_COUNT),
    oneFaceRatio: ratio(oneFace),
    noFaceRatio: ratio(noFace),
    multiFaceRatio: ratio(multiFace),
    gazeStability,
    gazeDispersionDeg: nullableClamp(gazeDispersionDeg, 0, MAX_DISPERSION_DEG),
    headSpeedDegPerS: nullableClamp(meanSpeed, 0, MAX_HEAD_SPEED_DEG_PER_S),
    suddenTurns: Math.min(suddenTurns, MAX_SUDDEN_TURNS),
    focusConsistency: focusDenominator === 0 ? null : clamp(focused / focusDenominator, 0, 1),
    lookingAwayRatio: judgedOneFace === 0 ? null : clamp(lookingAway / judgedOneFace, 0, 1),
    yawDeg: nullableClamp(mean(yaw), -180, 180),
    pitchDeg: nullableClamp(mean(pitch), -180, 180),
    rollDeg: nullableClamp(mean(roll), -180, 180),
    blinkRatePerMin,
    luminance: nullableClamp(luminance, 0, 255),
    sharpness: nullableClamp(sharpness, 0, MAX_SHARPNESS),
    faceLuminance: nullableClamp(faceLuminance, 0, 255),
    coverage,
    qualityIssue: windowQualityIssue(framesOffered, analysed, unusableIssues),
    calibrated: baseline !== null,
  };
}

function windowQualityIssue(
  framesOffered: number,
  analysed: number,
  unusableIssues: ReadonlyMap<QualityIssue, number>,
): MetricSampleBody['qualityIssue'] {
  if (framesOffered === 0) return 'no_frames';
  if (analysed === 0) return 'analysis_gap';
  let unusable = 0;
  for (const count of unusableIssues.values()) unusable += count;
  if (unusable * 2 <= analysed) return 'none';
  let dominant: QualityIssue = 'none';
  let dominantCount = 0;
  for (const issue of ISSUE_PRECEDENCE) {
    const count = unusableIssues.get(issue) ?? 0;
    if (count > dominantCount) {
      dominant = issue;
      dominantCount = count;
    }
  }
  return dominant;
}

/** RMS distance of the points from their mean, degrees. */
function rmsDispersionDeg(points: readonly Gaze[]): number {
  let sumH = 0;
  let sumV = 0;
  for (const point of points) {
    sumH += point.horizontalDeg;
    sumV += point.verticalDeg;
  }
  const meanH = sumH / points.length;
  const meanV = sumV / points.length;
  let sumSq = 0;
  for (const point of points) {
    sumSq += (point.horizontalDeg - meanH) ** 2 + (point.verticalDeg - meanV) ** 2;
  }
  return Math.sqrt(sumSq / points.length);
}

function finiteOrZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

function nullableClamp(value: number | null, min: number, max: number): number | null {
  return value === null || !Number.isFinite(value) ? null : clamp(value, min, max);
}
