import { describe, expect, test } from 'vitest';
import type { BlendshapeCategory } from './frame-features';
import {
  gazeFromBlendshapes,
  gazeFromIrisLandmarks,
  gazeFromLandmarks,
  MAX_GAZE_DEG,
} from './gaze';
import { LEFT_EYE, RIGHT_EYE } from './landmark-indices';
import { blendshapes, eyeLookBlendshapes } from './testing/synthetic-face';
import { syntheticEyes } from './testing/synthetic-eyes';

const GAZES: readonly [number, number][] = [
  [0, 0],
  [10, 0],
  [-10, 0],
  [25, 0],
  [-30, 0],
  [0, 10],
  [0, -15],
  [0, 25],
  [15, 10],
  [-20, -12],
  [30, 20],
  [-5, 28],
  [3, -3],
];

describe('gazeFromLandmarks from iris landmarks alone', () => {
  test.each(GAZES)('recovers %d° horizontal, %d° vertical within 3°', (h, v) => {
    const gaze = gazeFromLandmarks(syntheticEyes({ horizontalDeg: h, verticalDeg: v }), []);
    expect(gaze).not.toBeNull();
    expect(Math.abs((gaze?.horizontalDeg ?? Infinity) - h)).toBeLessThanOrEqual(3);
    expect(Math.abs((gaze?.verticalDeg ?? Infinity) - v)).toBeLessThanOrEqual(3);
  });

  test.each([
    [20, 0, 15],
    [-15, 10, -25],
    [0, -20, 30],
    [10, 10, -40],
  ])('is unaffected by head roll (%d°, %d° with roll %d°)', (h, v, rollDeg) => {
    const gaze = gazeFromLandmarks(
      syntheticEyes({ horizontalDeg: h, verticalDeg: v, rollDeg }),
      [],
    );
    expect(gaze?.horizontalDeg).toBeCloseTo(h, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(v, 6);
  });

  test.each([16 / 9, 4 / 3, 3 / 4])('corrects for the frame aspect ratio %d', (aspectRatio) => {
    const landmarks = syntheticEyes({ horizontalDeg: 12, verticalDeg: -18, aspectRatio });
    const gaze = gazeFromLandmarks(landmarks, [], aspectRatio);
    expect(gaze?.horizontalDeg).toBeCloseTo(12, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(-18, 6);
  });

  test.each([0.03, 0.06, 0.12])('is independent of the face size (eye width %d)', (eyeWidth) => {
    const gaze = gazeFromLandmarks(
      syntheticEyes({ horizontalDeg: -22, verticalDeg: 8, eyeWidth }),
      [],
    );
    expect(gaze?.horizontalDeg).toBeCloseTo(-22, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(8, 6);
  });

  test('saturates at the model limit instead of failing beyond it', () => {
    const gaze = gazeFromLandmarks(syntheticEyes({ horizontalDeg: 80, verticalDeg: -80 }), []);
    expect(gaze?.horizontalDeg).toBe(MAX_GAZE_DEG);
    expect(gaze?.verticalDeg).toBe(-MAX_GAZE_DEG);
  });

  test('uses the other eye when one eye is degenerate', () => {
    const landmarks = syntheticEyes({ horizontalDeg: 14, verticalDeg: 6 });
    const corner = landmarks[RIGHT_EYE.imageLeftCorner];
    if (corner) landmarks[RIGHT_EYE.imageRightCorner] = { ...corner };
    const gaze = gazeFromIrisLandmarks(landmarks);
    expect(gaze?.horizontalDeg).toBeCloseTo(14, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(6, 6);
  });

  test('returns null when both eyes hold non-finite landmarks', () => {
    const landmarks = syntheticEyes({ horizontalDeg: 0, verticalDeg: 0 });
    landmarks[RIGHT_EYE.irisCentre] = { x: Number.NaN, y: 0.3, z: 0 };
    landmarks[LEFT_EYE.irisCentre] = { x: 0.5, y: Number.NaN, z: 0 };
    expect(gazeFromIrisLandmarks(landmarks)).toBeNull();
  });
});

describe('gazeFromLandmarks combining irises and blendshapes', () => {
  test.each(GAZES)('recovers %d°, %d° from consistent irises and blendshapes', (h, v) => {
    const gaze = gazeFromLandmarks(
      syntheticEyes({ horizontalDeg: h, verticalDeg: v }),
      eyeLookBlendshapes(h, v),
    );
    expect(Math.abs((gaze?.horizontalDeg ?? Infinity) - h)).toBeLessThanOrEqual(3);
    expect(Math.abs((gaze?.verticalDeg ?? Infinity) - v)).toBeLessThanOrEqual(3);
  });

  test('weights the two estimates equally', () => {
    const gaze = gazeFromLandmarks(
      syntheticEyes({ horizontalDeg: 20, verticalDeg: 0 }),
      eyeLookBlendshapes(0, 10),
    );
    expect(gaze?.horizontalDeg).toBeCloseTo(10, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(5, 6);
  });
});

describe('gazeFromLandmarks without irises', () => {
  test.each([
    [0, 0],
    [17.5, 0],
    [-35, 0],
    [0, 14],
    [-7, -21],
  ])('falls back to the blendshapes alone (%d°, %d°)', (h, v) => {
    const landmarks = syntheticEyes({ horizontalDeg: 30, verticalDeg: 30, landmarkCount: 468 });
    const gaze = gazeFromLandmarks(landmarks, eyeLookBlendshapes(h, v));
    expect(gaze?.horizontalDeg).toBeCloseTo(h, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(v, 6);
  });

  test('returns null with neither irises nor eye-look blendshapes', () => {
    const landmarks = syntheticEyes({ horizontalDeg: 0, verticalDeg: 0, landmarkCount: 468 });
    expect(
      gazeFromLandmarks(landmarks, blendshapes({ eyeBlinkLeft: 0.1, jawOpen: 0.3 })),
    ).toBeNull();
    expect(gazeFromLandmarks([], [])).toBeNull();
  });
});

describe('gazeFromBlendshapes sign conventions', () => {
  test.each<[string, Record<string, number>, number, number]>([
    ['left eye looking out = image right', { eyeLookOutLeft: 0.5 }, 8.75, 0],
    ['right eye looking in = image right', { eyeLookInRight: 0.5 }, 8.75, 0],
    ['left eye looking in = image left', { eyeLookInLeft: 1 }, -17.5, 0],
    ['right eye looking out = image left', { eyeLookOutRight: 1 }, -17.5, 0],
    ['both eyes up = up', { eyeLookUpLeft: 0.4, eyeLookUpRight: 0.4 }, 0, 14],
    ['both eyes down = down', { eyeLookDownLeft: 1, eyeLookDownRight: 1 }, 0, -35],
  ])('reads %s', (_name, scores, h, v) => {
    const gaze = gazeFromBlendshapes(blendshapes(scores));
    expect(gaze?.horizontalDeg).toBeCloseTo(h, 6);
    expect(gaze?.verticalDeg).toBeCloseTo(v, 6);
  });

  test('ignores non-finite scores and clamps out-of-range ones', () => {
    const categories: BlendshapeCategory[] = [
      { categoryName: 'eyeLookOutLeft', score: Number.NaN },
      { categoryName: 'eyeLookInRight', score: 3 },
    ];
    expect(gazeFromBlendshapes(categories)?.horizontalDeg).toBeCloseTo(17.5, 6);
  });
});
