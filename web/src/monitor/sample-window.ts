import {
  createConditionDetector,
  type ConditionKind,
  type DetectorEmission,
} from '../../../shared/detection/condition-detector';
import {
  createReadingDetector,
  type ReadingEmission,
} from '../../../shared/detection/reading-detector';
import type { Policy } from '../../../shared/policy/policy';
import { calibrateBaseline } from '../../../shared/tracking/calibration';
import { createRestPose } from '../../../shared/tracking/rest-pose';
import type { Baseline, FrameFeatures } from '../../../shared/tracking/frame-features';
import { judgeFrame } from '../../../shared/tracking/frame-verdict';
import { summariseWindow, type MetricSampleBody } from '../../../shared/tracking/metric-window';

/**
 * The pure core between the frame pump and the outbox: it buckets analysed frames into
 * one-second windows by capture time, summarises each window against the calibrated baseline,
 * runs every frame's verdict through the condition detector at once (so notices and events are
 * live, not a second late), and owns calibration.
 *
 * Calibration: the first `calibrationSeconds` after start, and after `recalibrate()`, collect
 * frames for `calibrateBaseline`. If no baseline comes out (no face, or the candidate was turned
 * away or moving) and there is no earlier one, another period starts straight away, so the
 * candidate is calibrated as soon as they sit facing the screen; after
 * MAX_STRICT_CALIBRATION_PERIODS periods that saw the face but were rejected, the pose is
 * accepted as it is. While there is no baseline at all, frames never count as
 * looking away: "away from what" is not known yet. Once calibrated, the baseline follows where
 * the candidate usually looks, within bounds (shared/tracking/rest-pose.ts), so a glance during
 * calibration does not skew every later verdict.
 *
 * No clock and no timers: the caller passes times, so tests drive it frame by frame.
 */
export interface SampleWindowOptions {
  policy: Policy;
  newEventId: () => string;
  /** Candidate clock (epoch ms) of the first window's start; calibration starts here too. */
  startMs: number;
  /** Window length; samples are one second. */
  windowMs?: number;
  /**
   * A late close (a throttled timer on a hidden page fires up to a minute late) emits at most
   * this many one-second windows; anything older is summarised as one long window first.
   */
  maxCatchUpWindows?: number;
}

export interface CalibrationState {
  /** A calibration period is collecting frames now. */
  active: boolean;
  /** Until the current period ends; 0 when not active. */
  remainingMs: number;
  /** A baseline exists (from this or an earlier calibration). */
  calibrated: boolean;
}

export interface CloseContext {
  /**
   * Whether the camera was delivering frames: a window without any offered frame is then an
   * analysis gap (the page or the analyser could not keep up: coverage loss), otherwise the
   * camera gave nothing ('no_frames').
   */
  cameraDelivering: boolean;
}

/** What a frame can confirm: a face condition, or a reading pattern (reading-detector.ts). */
export type WindowEmission = DetectorEmission | ReadingEmission;

export interface SampleWindow {
  /** One due frame, analysed or dropped, by capture time. */
  offer(timestampMs: number): void;
  /** One analysed frame; returns the detectors' confirmed starts and ends. */
  addFrame(features: FrameFeatures): WindowEmission[];
  /** Summarises every whole window that ends at or before `untilMs`. */
  closeUpTo(untilMs: number, context: CloseContext): MetricSampleBody[];
  /** Starts a new calibration period at `atMs`; open conditions end there. */
  recalibrate(atMs: number): WindowEmission[];
  calibration(nowMs: number): CalibrationState;
  baseline(): Baseline | null;
  openConditions(): ConditionKind[];
  /** Ends open conditions at `atMs` (stop). */
  finish(atMs: number): WindowEmission[];
}

export const DEFAULT_WINDOW_MS = 1000;
/** Strict calibration tries (each calibrationSeconds long) before the pose is accepted as it is. */
export const MAX_STRICT_CALIBRATION_PERIODS = 3;
/** Longest the detector waits for the first baseline before judging frames without it. */
export const MAX_UNCALIBRATED_MS = 15_000;
export const DEFAULT_MAX_CATCH_UP_WINDOWS = 60;

export function createSampleWindow(options: SampleWindowOptions): SampleWindow {
  const { policy } = options;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxCatchUpWindows = Math.max(1, options.maxCatchUpWindows ?? DEFAULT_MAX_CATCH_UP_WINDOWS);
  const calibrationMs = policy.tracking.calibrationSeconds * 1000;
  const detector = createConditionDetector(policy, options.newEventId);
  const reading = createReadingDetector(options.newEventId);

  let windowStartMs = options.startMs;
  /** Analysed frames and offered-frame times not yet summarised, in capture order. */
  let frames: FrameFeatures[] = [];
  let offers: number[] = [];

  let baseline: Baseline | null = null;
  /** Refines the calibrated baseline towards where the candidate usually looks (rest-pose.ts). */
  const restPose = createRestPose();
  let calibration: { startMs: number; endMs: number; frames: FrameFeatures[] } | null = {
    startMs: options.startMs,
    endMs: options.startMs + calibrationMs,
    frames: [],
  };

  /** Ends the calibration period if `atMs` is past it; retries while there is no baseline. */
  /** Calibration periods in a row that saw the face but were rejected as turned or moving. */
  let rejectedPeriods = 0;

  function settleCalibration(atMs: number): void {
    while (calibration !== null && atMs >= calibration.endMs) {
      // After a few rejected tries, accept the pose as it is: a screen far off the camera's
      // axis must not keep the monitoring in calibration for ever.
      const strict = rejectedPeriods < MAX_STRICT_CALIBRATION_PERIODS;
      const measured = calibrateBaseline(calibration.frames, { strict });
      if (measured !== null) {
        baseline = measured;
        restPose.reset(measured);
        rejectedPeriods = 0;
      } else if (calibrateBaseline(calibration.frames, { strict: false }) !== null) {
        rejectedPeriods += 1;
      }
      calibration =
        baseline === null
          ? { startMs: calibration.endMs, endMs: calibration.endMs + calibrationMs, frames: [] }
          : null;
    }
  }

  /**
   * Frames not yet given to the detector. Until the first baseline exists the detector waits:
   * once calibration succeeds, the frames since the start are judged against it, so a look-away
   * while the page was still calibrating (the candidate turned away at once) is found and dated
   * from its first frame. No-baseline frames older than MAX_UNCALIBRATED_MS go through without a
   * looking-away verdict, so absence and a second person are never held back for long.
   */
  let uncalibrated: FrameFeatures[] = [];

  function drainUncalibrated(nowMs: number, all = false): DetectorEmission[] {
    const out: DetectorEmission[] = [];
    let keep = 0;
    for (const features of uncalibrated) {
      if (baseline === null && !all && features.timestampMs > nowMs - MAX_UNCALIBRATED_MS) break;
      const verdict = judgeFrame(features, baseline, policy);
      // Without any baseline the neutral direction is unknown: no looking-away evidence.
      out.push(...detector.step(baseline === null ? { ...verdict, onScreen: null } : verdict));
      baseline = restPose.add(features, verdict.onScreen) ?? baseline;
      keep += 1;
    }
    uncalibrated = uncalibrated.slice(keep);
    return out;
  }

  function summarise(startMs: number, endMs: number, context: CloseContext): MetricSampleBody {
    const inWindow: FrameFeatures[] = [];
    const rest: FrameFeatures[] = [];
    for (const frame of frames) {
      if (frame.timestampMs >= endMs) rest.push(frame);
      // Frames before the window arrived too late for their own window: dropped.
      else if (frame.timestampMs >= startMs) inWindow.push(frame);
    }
    frames = rest;
    const offered = offers.filter((t) => t >= startMs && t < endMs).length;
    offers = offers.filter((t) => t >= endMs);
    const seconds = (endMs - startMs) / 1000;
    const framesOffered =
      offered === 0 && inWindow.length === 0 && context.cameraDelivering
        ? Math.round(policy.tracking.targetFps * seconds)
        : offered;
    return summariseWindow(inWindow, {
      windowStartMs: startMs,
      windowEndMs: endMs,
      framesOffered,
      baseline,
      policy,
    });
  }

  return {
    offer(timestampMs) {
      offers.push(timestampMs);
    },

    addFrame(features) {
      settleCalibration(features.timestampMs);
      if (calibration !== null && features.timestampMs >= calibration.startMs) {
        calibration.frames.push(features);
      }
      frames.push(features);
      uncalibrated.push(features);
      const emissions: WindowEmission[] = drainUncalibrated(features.timestampMs);
      // Reading keys on changes of gaze, so it needs no baseline: it runs on every frame at
      // once, on the one face in the chair.
      const usable = judgeFrame(features, null, policy).usable;
      const main = features.faceCount === 1 && usable ? features.main : null;
      emissions.push(
        ...reading.step({
          timeMs: features.timestampMs,
          gazeHDeg: main?.gaze?.horizontalDeg ?? null,
          yawDeg: main?.pose?.yawDeg ?? null,
          pitchDeg: main?.pose?.pitchDeg ?? null,
        }),
      );
      return emissions;
    },

    closeUpTo(untilMs, context) {
      settleCalibration(untilMs);
      const samples: MetricSampleBody[] = [];
      const whole = Math.floor((untilMs - windowStartMs) / windowMs);
      if (whole <= 0) return samples;
      if (whole > maxCatchUpWindows) {
        const endMs = windowStartMs + (whole - maxCatchUpWindows) * windowMs;
        samples.push(summarise(windowStartMs, endMs, context));
        windowStartMs = endMs;
      }
      while (windowStartMs + windowMs <= untilMs) {
        samples.push(summarise(windowStartMs, windowStartMs + windowMs, context));
        windowStartMs += windowMs;
      }
      return samples;
    },

    recalibrate(atMs) {
      calibration = { startMs: atMs, endMs: atMs + calibrationMs, frames: [] };
      return [...drainUncalibrated(atMs, true), ...detector.flush(atMs), ...reading.flush(atMs)];
    },

    calibration(nowMs) {
      settleCalibration(nowMs);
      return {
        active: calibration !== null,
        remainingMs: calibration === null ? 0 : Math.max(0, calibration.endMs - nowMs),
        calibrated: baseline !== null,
      };
    },

    baseline: () => baseline,
    openConditions: () => detector.openConditions(),
    finish: (atMs) => [
      ...drainUncalibrated(atMs, true),
      ...detector.flush(atMs),
      ...reading.flush(atMs),
    ],
  };
}
