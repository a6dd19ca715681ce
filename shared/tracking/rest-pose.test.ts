import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import type { Baseline, FrameFeatures } from './frame-features';
import { judgeFrame } from './frame-verdict';
import { mulberry32, randomBetween } from './testing/mulberry32';
import { frameSequence } from './testing/frames';
import {
  REST_MAX_DRIFT_DEG,
  REST_MIN_SPAN_MS,
  REST_WINDOW_MS,
  createRestPose,
  type RestPose,
} from './rest-pose';

const policy = DEFAULT_POLICY;

/** Judges each frame against the current baseline and feeds the refiner, as the sample window does. */
function play(rest: RestPose, start: Baseline, frames: readonly FrameFeatures[]): Baseline {
  let baseline = start;
  for (const frame of frames) {
    const verdict = judgeFrame(frame, baseline, policy);
    baseline = rest.add(frame, verdict.onScreen) ?? baseline;
  }
  return baseline;
}

const at = (yawDeg: number, gazeDeg = 0, pitchDeg = -12): Baseline => ({
  pose: { yawDeg, pitchDeg, rollDeg: 0 },
  gaze: { horizontalDeg: gazeDeg, verticalDeg: 0 },
});

describe('rest pose', () => {
  test('a baseline taken during a glance aside moves to where the candidate usually looks', () => {
    const rng = mulberry32(7);
    const rest = createRestPose();
    const skewed = at(-11, -6);
    rest.reset(skewed);
    // Honest: mostly at the screen (yaw 2 ± 3, eyes 0 ± 3), thinking glances of 15° now and then.
    const frames = frameSequence(600, 15, 0, (i) => ({
      pose: { yawDeg: i % 75 < 15 ? 15 : 2 + randomBetween(rng, -3, 3), pitchDeg: -12 },
      gaze: { horizontalDeg: randomBetween(rng, -3, 3) },
    }));
    const refined = play(rest, skewed, frames);
    expect(Math.abs(refined.pose.yawDeg - 2)).toBeLessThan(1.5);
    expect(Math.abs(refined.gaze.horizontalDeg)).toBeLessThan(1.5);
    // The thinking glance of +15° head and +10° eyes now reads as what it is: on screen.
    const glance = frameSequence(1, 15, 40_000, () => ({
      pose: { yawDeg: 16, pitchDeg: -12 },
      gaze: { horizontalDeg: 10 },
    }))[0];
    expect(glance && judgeFrame(glance, refined, policy).onScreen).toBe(true);
    expect(glance && judgeFrame(glance, skewed, policy).onScreen).toBe(false);
  });

  test('looking away most of the time never pulls the baseline towards where the candidate looks', () => {
    const rest = createRestPose();
    const calibrated = at(0);
    rest.reset(calibrated);
    // 70 % of every 10 s at a second screen 35° aside (off screen), 30 % at the screen.
    const frames = frameSequence(1800, 15, 0, (i) => ({
      pose: { yawDeg: i % 150 < 105 ? 35 : 0, pitchDeg: -12 },
    }));
    const after = play(rest, calibrated, frames);
    expect(after.pose.yawDeg).toBeCloseTo(0, 5);
  });

  test('drifts at most REST_MAX_DRIFT_DEG from the calibrated pose however long it is fed', () => {
    const rest = createRestPose();
    const calibrated = at(0);
    rest.reset(calibrated);
    // Creeping 1° every 10 s towards 25° (always on screen against the moving baseline).
    const frames = frameSequence(15 * 300, 15, 0, (_i, t) => ({
      pose: { yawDeg: Math.min(25, Math.floor(t / 10_000)), pitchDeg: -12 },
    }));
    const after = play(rest, calibrated, frames);
    expect(after.pose.yawDeg).toBeLessThanOrEqual(REST_MAX_DRIFT_DEG + 1e-9);
    expect(after.pose.yawDeg).toBeGreaterThan(REST_MAX_DRIFT_DEG - 1);
  });

  test('needs REST_MIN_SPAN_MS of on-screen frames before it moves anything', () => {
    const rest = createRestPose();
    const calibrated = at(-8);
    rest.reset(calibrated);
    const short = frameSequence(Math.floor((REST_MIN_SPAN_MS / 1000) * 15) - 15, 15, 0, () => ({
      pose: { yawDeg: 0, pitchDeg: -12 },
    }));
    expect(play(rest, calibrated, short)).toEqual(calibrated);
  });

  test('without a calibration it changes nothing; recalibrating starts over', () => {
    const rest = createRestPose();
    const frames = frameSequence(900, 15, 0, () => ({ pose: { yawDeg: 5, pitchDeg: -12 } }));
    for (const frame of frames) expect(rest.add(frame, true)).toBeNull();
    rest.reset(at(0));
    expect(play(rest, at(0), frames).pose.yawDeg).toBeCloseTo(5, 5);
    rest.reset(at(-3));
    // Right after the reset nothing from before counts.
    const next = frameSequence(30, 15, 60_000, () => ({ pose: { yawDeg: 5, pitchDeg: -12 } }));
    expect(play(rest, at(-3), next).pose.yawDeg).toBe(-3);
  });

  test('keeps only the last REST_WINDOW_MS of frames (bounded memory)', () => {
    const rest = createRestPose();
    rest.reset(at(0));
    // 5 min at yaw 8, then 70 s at yaw 1: the baseline ends at 1 (the old minutes are forgotten).
    const early = frameSequence(15 * 300, 15, 0, () => ({ pose: { yawDeg: 8, pitchDeg: -12 } }));
    const late = frameSequence(15 * (REST_WINDOW_MS / 1000 + 10), 15, 300_000, () => ({
      pose: { yawDeg: 1, pitchDeg: -12 },
    }));
    const after = play(rest, play(rest, at(0), early), late);
    expect(after.pose.yawDeg).toBeCloseTo(1, 5);
  });
});
