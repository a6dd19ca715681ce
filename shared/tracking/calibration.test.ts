import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import { calibrateBaseline, DEFAULT_BASELINE, MIN_CALIBRATION_FRAMES } from './calibration';
import { judgeFrame } from './frame-verdict';
import { mulberry32, randomBetween } from './testing/mulberry32';
import { BLUR_QUALITY, DARK_QUALITY, frameSequence, makeFrame } from './testing/frames';
import { UNMEASURED_QUALITY } from './image-quality';

const policy = DEFAULT_POLICY;

describe('calibrateBaseline', () => {
  test('is the per-angle median of the qualifying frames', () => {
    const yaws = [10, 12, 11, 40, 9];
    const frames = yaws.map((yawDeg, i) =>
      makeFrame({
        timestampMs: i * 100,
        pose: { yawDeg, pitchDeg: -5 - i, rollDeg: 2 },
        gaze: { horizontalDeg: i, verticalDeg: -10 },
      }),
    );
    expect(calibrateBaseline(frames, { strict: false })).toEqual({
      pose: { yawDeg: 11, pitchDeg: -7, rollDeg: 2 },
      gaze: { horizontalDeg: 2, verticalDeg: -10 },
    });
  });

  test('strictly, a window spent turned away or looking down gives no baseline', () => {
    for (const pose of [{ yawDeg: -45 }, { yawDeg: 50 }, { pitchDeg: -48 }]) {
      const frames = frameSequence(30, 10, 0, () => ({ pose, gaze: { horizontalDeg: 0 } }));
      expect(calibrateBaseline(frames)).toBeNull();
      expect(calibrateBaseline(frames, { strict: false })?.pose).toMatchObject(pose);
    }
    const eyesAside = frameSequence(30, 10, 0, () => ({ gaze: { horizontalDeg: 25 } }));
    expect(calibrateBaseline(eyesAside)).toBeNull();
  });

  test('strictly, a window in which the candidate moved gives no baseline', () => {
    // Half the window at rest, half turned 20° (still within the plausible range).
    const frames = frameSequence(30, 10, 0, (i) => ({ pose: { yawDeg: i < 15 ? -8 : 12 } }));
    expect(calibrateBaseline(frames)).toBeNull();
  });

  test('strictly, the frames of a turn are left out and the rest pose kept', () => {
    const frames = frameSequence(30, 10, 0, (i) => ({
      pose: { yawDeg: i < 20 ? -45 : -8, pitchDeg: -10 },
    }));
    expect(calibrateBaseline(frames)?.pose.yawDeg).toBe(-8);
  });

  test('shrugs off a glance away during calibration', () => {
    const random = mulberry32(3);
    const frames = frameSequence(30, 10, 0, (i) => ({
      pose: { yawDeg: i === 12 || i === 13 ? 45 : 8 + randomBetween(random, -1, 1) },
      gaze: { horizontalDeg: randomBetween(random, -1, 1), verticalDeg: -12 },
    }));
    const baseline = calibrateBaseline(frames);
    expect(baseline?.pose.yawDeg).toBeCloseTo(8, 0);
    expect(baseline?.gaze.verticalDeg).toBe(-12);
  });

  test.each([
    ['several faces', { faceCount: 2 }],
    ['no face', { faceCount: 0 }],
    ['no head pose', { pose: null }],
    ['no gaze (eyes closed)', { gaze: null, eyesClosed: true }],
  ])('ignores frames with %s', (_name, spec) => {
    const good = frameSequence(MIN_CALIBRATION_FRAMES, 10, 0, () => ({ pose: { yawDeg: 5 } }));
    const noPose = 'pose' in spec; // only the no-head-pose case sets pose (to null)
    const bad = frameSequence(20, 10, 1000, () => ({
      ...spec,
      pose: noPose ? null : { yawDeg: 60 },
    }));
    expect(calibrateBaseline([...bad, ...good])?.pose.yawDeg).toBe(5);
    expect(calibrateBaseline(bad)).toBeNull();
  });

  test.each([
    ['a dark, noisy picture', DARK_QUALITY],
    ['a blurred picture', BLUR_QUALITY],
  ])('calibrates on %s where the face was found (a dim room still calibrates)', (_n, quality) => {
    const frames = frameSequence(MIN_CALIBRATION_FRAMES, 10, 0, () => ({
      quality,
      pose: { yawDeg: 7 },
    }));
    expect(calibrateBaseline(frames)?.pose.yawDeg).toBe(7);
  });

  test('accepts frames without pixel statistics (judged on landmarks)', () => {
    const frames = frameSequence(6, 10, 0, () => ({
      quality: UNMEASURED_QUALITY,
      pose: { pitchDeg: -9 },
    }));
    expect(calibrateBaseline(frames)?.pose.pitchDeg).toBe(-9);
  });

  test.each([0, 1, MIN_CALIBRATION_FRAMES - 1])(
    'returns null with only %d qualifying frames',
    (count) => {
      expect(calibrateBaseline(frameSequence(count, 10, 0, () => ({})))).toBeNull();
    },
  );

  test(`needs ${MIN_CALIBRATION_FRAMES} qualifying frames`, () => {
    expect(calibrateBaseline(frameSequence(MIN_CALIBRATION_FRAMES, 10, 0, () => ({})))).toEqual(
      DEFAULT_BASELINE,
    );
  });

  test('DEFAULT_BASELINE is the camera axis; no baseline judges no one-face frame', () => {
    expect(DEFAULT_BASELINE).toEqual({
      pose: { yawDeg: 0, pitchDeg: 0, rollDeg: 0 },
      gaze: { horizontalDeg: 0, verticalDeg: 0 },
    });
    // Against the camera axis: on screen while the head stays within maxYawDeg (28°) and the
    // eyes within maxGazeDeg (15°) in the head.
    for (const [yawDeg, expected] of [
      [-31, false],
      [-10, true],
      [0, true],
      [26, true],
      [29, false],
    ] as const) {
      const frame = makeFrame({
        timestampMs: 0,
        pose: { yawDeg },
        gaze: { horizontalDeg: -yawDeg / 2 },
      });
      expect(judgeFrame(frame, DEFAULT_BASELINE, policy).onScreen).toBe(expected);
      // Before calibration the neutral pose is unknown: no verdict at all.
      expect(judgeFrame(frame, null, policy).onScreen).toBeNull();
    }
  });
});
