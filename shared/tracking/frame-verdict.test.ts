import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../policy/policy';
import { DEFAULT_BASELINE } from './calibration';
import type { Baseline, ImageQuality } from './frame-features';
import { baselineLookDirectionDeg, judgeFrame, lookDirectionDeg } from './frame-verdict';
import { UNMEASURED_QUALITY } from './image-quality';
import { classifyQuality } from './quality-issue';
import {
  BLUR_QUALITY,
  COVERED_QUALITY,
  DARK_QUALITY,
  GLARE_QUALITY,
  makeFrame,
} from './testing/frames';

const policy = DEFAULT_POLICY; // maxYaw 28, maxPitch 20, maxGaze 15, luminance 35..235, sharpness 8

const quality = (luminance: number, sharpness: number): ImageQuality => ({
  luminance,
  sharpness,
  faceLuminance: null,
});

describe('classifyQuality', () => {
  test.each([
    ['a well lit sharp frame', quality(120, 200), 'none'],
    ['a dark frame that keeps edges', quality(20, 50), 'dark'],
    ['a dark blurred frame', quality(20, 5), 'dark'],
    ['a dark featureless frame (covered lens)', quality(5, 1), 'covered'],
    ['a washed-out frame', quality(240, 100), 'glare'],
    ['a blurred frame', quality(120, 3), 'blur'],
    ['luminance exactly at the minimum', quality(35, 100), 'none'],
    ['luminance exactly at the maximum', quality(235, 100), 'none'],
    ['sharpness exactly at the minimum', quality(120, 8), 'none'],
    ['a frame without pixels', UNMEASURED_QUALITY, 'none'],
    ['the covered fixture', COVERED_QUALITY, 'covered'],
    ['the glare fixture', GLARE_QUALITY, 'glare'],
    ['the blur fixture', BLUR_QUALITY, 'blur'],
    ['the dark fixture', DARK_QUALITY, 'dark'],
  ] as const)('classifies %s as %s', (_name, value, expected) => {
    expect(classifyQuality(value, policy)).toBe(expected);
  });
});

describe('judgeFrame usability', () => {
  test('an unusable frame without a face is a measurement problem, reported as such', () => {
    const verdict = judgeFrame(
      makeFrame({ timestampMs: 5, faceCount: 0, quality: COVERED_QUALITY }),
      null,
      policy,
    );
    expect(verdict).toEqual({
      timestampMs: 5,
      faceCount: 0,
      usable: false,
      qualityIssue: 'covered',
      onScreen: null,
      awayRatio: null,
      relative: null,
      luminance: COVERED_QUALITY.luminance,
      sharpness: COVERED_QUALITY.sharpness,
    });
  });

  test('a frame in which the detector found a face is usable however dark or soft', () => {
    for (const quality of [DARK_QUALITY, BLUR_QUALITY, GLARE_QUALITY]) {
      const verdict = judgeFrame(makeFrame({ timestampMs: 5, quality }), null, policy);
      expect(verdict.usable).toBe(true);
      expect(verdict.qualityIssue).not.toBe('none');
    }
  });

  test('a usable frame without a face is usable with no verdict on focus', () => {
    const verdict = judgeFrame(makeFrame({ timestampMs: 0, faceCount: 0 }), null, policy);
    expect(verdict.usable).toBe(true);
    expect(verdict.onScreen).toBeNull();
  });
});

describe('judgeFrame onScreen', () => {
  const baseline: Baseline = {
    pose: { yawDeg: 10, pitchDeg: -8, rollDeg: 2 },
    gaze: { horizontalDeg: -3, verticalDeg: -6 },
  };
  /** Neutral = the camera axis (a baseline of all zeros, not "no baseline"). */
  const axis = DEFAULT_BASELINE;

  test.each([
    ['straight at the camera', {}, {}, axis, true],
    ['head within range', { yawDeg: 8 }, { horizontalDeg: 0 }, axis, true],
    ['head yawed beyond range', { yawDeg: 30 }, {}, axis, false],
    ['head pitched beyond range', { pitchDeg: -21 }, {}, axis, false],
    ['head rolled a lot (roll does not matter)', { rollDeg: 40 }, {}, axis, true],
    ['eyes off to the side', {}, { horizontalDeg: 16 }, axis, false],
    ['eyes within range', {}, { horizontalDeg: 14 }, axis, true],
    ['eyes moved vertically only (not judged)', {}, { verticalDeg: -20 }, axis, true],
    [
      'head turned 15°, eyes back on the screen',
      { yawDeg: 15 },
      { horizontalDeg: -14 },
      axis,
      true,
    ],
    ['head turned 15°, eyes straight ahead', { yawDeg: 15 }, { horizontalDeg: 0 }, axis, true],
    ['head within range, eyes beyond it', { yawDeg: 15 }, { horizontalDeg: 16 }, axis, false],
    ['the calibrated neutral pose', baseline.pose, baseline.gaze, baseline, true],
    [
      'the calibrated pose turned 20°',
      { ...baseline.pose, yawDeg: 30 },
      { horizontalDeg: -3 },
      baseline,
      true,
    ],
    [
      'absolute 45° yaw that is 35° from the baseline',
      { yawDeg: 45 },
      { horizontalDeg: -3 },
      baseline,
      false,
    ],
    ['head 36° from the baseline', { yawDeg: -26 }, { horizontalDeg: 33 }, baseline, false],
  ] as const)('%s → %s', (_name, pose, gaze, base, expected) => {
    const verdict = judgeFrame(makeFrame({ timestampMs: 0, pose, gaze }), base, policy);
    expect(verdict.onScreen).toBe(expected);
  });

  test.each([
    ['no face', { faceCount: 0 }],
    ['two faces', { faceCount: 2 }],
    ['one face without a head pose', { pose: null }],
  ])('is null with %s', (_name, spec) => {
    expect(judgeFrame(makeFrame({ timestampMs: 0, ...spec }), axis, policy).onScreen).toBeNull();
  });

  test('a blink (no gaze) keeps the verdict of the head alone', () => {
    const onScreen = (yawDeg: number) =>
      judgeFrame(
        makeFrame({ timestampMs: 0, pose: { yawDeg }, gaze: null, eyesClosed: true }),
        axis,
        policy,
      ).onScreen;
    expect(onScreen(5)).toBe(true);
    expect(onScreen(30)).toBe(false);
  });

  test('is still judged on a frame of poor quality', () => {
    const verdict = judgeFrame(makeFrame({ timestampMs: 0, quality: BLUR_QUALITY }), axis, policy);
    expect(verdict.usable).toBe(true);
    expect(verdict.qualityIssue).toBe('blur');
    expect(verdict.onScreen).toBe(true);
  });

  test('follows the policy thresholds', () => {
    const strict: Policy = { ...policy, tracking: { ...policy.tracking, maxGazeDeg: 4 } };
    const frame = makeFrame({ timestampMs: 0, gaze: { horizontalDeg: 5, verticalDeg: 0 } });
    expect(judgeFrame(frame, axis, policy).onScreen).toBe(true);
    expect(judgeFrame(frame, axis, strict).onScreen).toBe(false);
  });

  test('wraps yaw differences across ±180°', () => {
    const base: Baseline = {
      pose: { yawDeg: 175, pitchDeg: 0, rollDeg: 0 },
      gaze: { horizontalDeg: 0, verticalDeg: 0 },
    };
    const frame = makeFrame({ timestampMs: 0, pose: { yawDeg: -178 }, gaze: { horizontalDeg: 0 } });
    expect(judgeFrame(frame, base, policy).onScreen).toBe(true);
  });
});

describe('judgeFrame before calibration (no baseline)', () => {
  test.each([
    ['straight at the camera', {}, {}],
    ['pitched down like MediaPipe reads a frontal face', { pitchDeg: -16 }, {}],
    ['head turned well beyond range', { yawDeg: 40 }, { horizontalDeg: 0 }],
    ['eyes off to the side', {}, { horizontalDeg: 20 }],
  ] as const)('leaves one face unjudged: %s', (_name, pose, gaze) => {
    const frame = makeFrame({ timestampMs: 0, pose, gaze });
    expect(judgeFrame(frame, null, policy).onScreen).toBeNull();
  });

  test('leaves one face unjudged on a blink and on a frame of poor quality', () => {
    const blink = makeFrame({ timestampMs: 0, gaze: null, eyesClosed: true });
    const blurred = makeFrame({ timestampMs: 0, quality: BLUR_QUALITY });
    expect(judgeFrame(blink, null, policy).onScreen).toBeNull();
    expect(judgeFrame(blurred, null, policy).onScreen).toBeNull();
  });

  test.each([
    ['no face', 0],
    ['two faces', 2],
  ] as const)('is still null with %s', (_name, faceCount) => {
    const verdict = judgeFrame(makeFrame({ timestampMs: 0, faceCount }), null, policy);
    expect(verdict.onScreen).toBeNull();
    expect(verdict.faceCount).toBe(faceCount);
    expect(verdict.usable).toBe(true);
  });

  test('still judges image quality', () => {
    const verdict = judgeFrame(
      makeFrame({ timestampMs: 0, faceCount: 0, quality: BLUR_QUALITY }),
      null,
      policy,
    );
    expect(verdict.usable).toBe(false);
    expect(verdict.qualityIssue).toBe('blur');
  });

  test('judges the same frame once a baseline exists', () => {
    const frame = makeFrame({ timestampMs: 0, pose: { yawDeg: 40 }, gaze: { horizontalDeg: 0 } });
    expect(judgeFrame(frame, null, policy).onScreen).toBeNull();
    expect(judgeFrame(frame, DEFAULT_BASELINE, policy).onScreen).toBe(false);
  });
});

describe('look direction', () => {
  test('adds the eyes to the head', () => {
    const frame = makeFrame({
      timestampMs: 0,
      pose: { yawDeg: 10, pitchDeg: -5 },
      gaze: { horizontalDeg: -4, verticalDeg: 2 },
    });
    expect(frame.main && lookDirectionDeg(frame.main)).toEqual({
      horizontalDeg: 6,
      verticalDeg: -3,
    });
  });

  test('is null without a gaze or a pose', () => {
    const noGaze = makeFrame({ timestampMs: 0, gaze: null });
    const noPose = makeFrame({ timestampMs: 0, pose: null });
    expect(noGaze.main && lookDirectionDeg(noGaze.main)).toBeNull();
    expect(noPose.main && lookDirectionDeg(noPose.main)).toBeNull();
  });

  test('of no baseline is the camera axis', () => {
    expect(baselineLookDirectionDeg(null)).toEqual({ horizontalDeg: 0, verticalDeg: 0 });
  });
});
