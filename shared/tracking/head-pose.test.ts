import { describe, expect, test } from 'vitest';
import {
  angleBetweenPosesDeg,
  headPoseFromMatrix,
  headPoseFromRotation,
  rotationFromHeadPose,
} from './head-pose';
import { LANDMARK } from './landmark-indices';
import {
  headRotation,
  project,
  syntheticFace,
  transformColumnMajor,
  WEBCAM_4_3,
  type Vec3,
} from './testing/synthetic-face';

/** Yaw, pitch, roll (degrees) within ±40°, single-axis and mixed. */
const POSES: readonly [number, number, number][] = [
  [0, 0, 0],
  [10, 0, 0],
  [-25, 0, 0],
  [40, 0, 0],
  [0, 15, 0],
  [0, -30, 0],
  [0, 40, 0],
  [0, 0, 12],
  [0, 0, -35],
  [20, 10, 0],
  [-20, -15, 5],
  [35, -25, -10],
  [-40, 40, 20],
  [15, 30, -40],
  [-5, -5, 40],
  [30, 20, 30],
  [-35, -35, -35],
  [40, -40, 40],
  [2, -3, 1],
  [-12, 22, -18],
  [25, 5, 38],
];

describe('headPoseFromMatrix', () => {
  test.each(POSES)(
    'recovers yaw %d°, pitch %d°, roll %d° from the column-major transform',
    (yawDeg, pitchDeg, rollDeg) => {
      const matrix = transformColumnMajor(headRotation(yawDeg, pitchDeg, rollDeg), [3, -2, -55]);
      const pose = headPoseFromMatrix(matrix);
      expect(pose).not.toBeNull();
      expect(pose?.yawDeg).toBeCloseTo(yawDeg, 6);
      expect(pose?.pitchDeg).toBeCloseTo(pitchDeg, 6);
      expect(pose?.rollDeg).toBeCloseTo(rollDeg, 6);
    },
  );

  test.each([0.8, 1, 1.07, 2.5])('ignores the Procrustes scale %d', (scale) => {
    const matrix = transformColumnMajor(headRotation(20, -10, 5), [0, 0, -60], scale);
    const pose = headPoseFromMatrix(matrix);
    expect(pose?.yawDeg).toBeCloseTo(20, 6);
    expect(pose?.pitchDeg).toBeCloseTo(-10, 6);
    expect(pose?.rollDeg).toBeCloseTo(5, 6);
  });

  test('reads a row-major matrix transposed instead of flipping the signs', () => {
    const columnMajor = transformColumnMajor(headRotation(25, 10, -8), [1, 2, -50]);
    const rowMajor = Array.from(
      { length: 16 },
      (_, i) => columnMajor[(i % 4) * 4 + Math.floor(i / 4)] as number,
    );
    const pose = headPoseFromMatrix(rowMajor);
    expect(pose?.yawDeg).toBeCloseTo(25, 6);
    expect(pose?.pitchDeg).toBeCloseTo(10, 6);
    expect(pose?.rollDeg).toBeCloseTo(-8, 6);
  });

  test.each([
    ['too few values', [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]],
    ['a NaN', withValue(5, Number.NaN)],
    ['an infinity', withValue(14, Number.POSITIVE_INFINITY)],
    ['a zero rotation', transformColumnMajor([0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, -50])],
    ['a mirroring transform', transformColumnMajor([-1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 0, -50])],
  ])('returns null for %s', (_name, data) => {
    expect(headPoseFromMatrix(data)).toBeNull();
  });

  test.each([90, -90])(
    'stays finite in gimbal lock (pitch %d°), roll folded into yaw',
    (pitchDeg) => {
      const matrix = transformColumnMajor(headRotation(20, pitchDeg, 10), [0, 0, -50]);
      const pose = headPoseFromMatrix(matrix);
      expect(pose).not.toBeNull();
      expect(pose?.pitchDeg).toBeCloseTo(pitchDeg, 3);
      expect(pose?.rollDeg).toBe(0);
      expect(Number.isFinite(pose?.yawDeg)).toBe(true);
      // The rotation it stands for is the same one.
      const back = rotationFromHeadPose(pose ?? { yawDeg: 0, pitchDeg: 0, rollDeg: 0 });
      const original = headRotation(20, pitchDeg, 10);
      back.forEach((value, i) => expect(value).toBeCloseTo(original[i] as number, 3));
    },
  );
});

describe('head pose sign conventions, seen in the projected image', () => {
  const neutral = syntheticFace();
  const imagePoint = (face: ReturnType<typeof syntheticFace>, index: number) =>
    face.landmarks[index] ?? { x: Number.NaN, y: Number.NaN, z: 0 };
  const eyeMidX = (face: ReturnType<typeof syntheticFace>) =>
    (imagePoint(face, LANDMARK.rightEyeOuter).x + imagePoint(face, LANDMARK.leftEyeOuter).x) / 2;

  test('positive yaw moves the nose towards the image right', () => {
    const turned = syntheticFace({ yawDeg: 20 });
    expect(headPoseFromMatrix(turned.matrix)?.yawDeg).toBeGreaterThan(0);
    const offset = imagePoint(turned, LANDMARK.noseTip).x - eyeMidX(turned);
    expect(offset).toBeGreaterThan(imagePoint(neutral, LANDMARK.noseTip).x - eyeMidX(neutral));
  });

  test('positive pitch (looking up) moves the nose up in the image, towards the eyes', () => {
    const up = syntheticFace({ pitchDeg: 20 });
    expect(headPoseFromMatrix(up.matrix)?.pitchDeg).toBeGreaterThan(0);
    const gap = (face: ReturnType<typeof syntheticFace>) =>
      imagePoint(face, LANDMARK.noseTip).y - imagePoint(face, LANDMARK.rightEyeOuter).y;
    expect(gap(up)).toBeLessThan(gap(neutral));
  });

  test('positive roll turns the face clockwise: the image-right eye drops', () => {
    const tilted = syntheticFace({ rollDeg: 15 });
    expect(headPoseFromMatrix(tilted.matrix)?.rollDeg).toBeGreaterThan(0);
    // Subject's left eye (263) is on the image right in an unmirrored frame.
    expect(imagePoint(tilted, LANDMARK.leftEyeOuter).x).toBeGreaterThan(
      imagePoint(tilted, LANDMARK.rightEyeOuter).x,
    );
    expect(imagePoint(tilted, LANDMARK.leftEyeOuter).y).toBeGreaterThan(
      imagePoint(tilted, LANDMARK.rightEyeOuter).y,
    );
  });

  test('a frontal face projects its subject-right eye on the image left', () => {
    const right: Vec3 = [-4.45, 2.65, -51.5];
    const left: Vec3 = [4.45, 2.65, -51.5];
    expect(project(right, WEBCAM_4_3).x).toBeLessThan(0.5);
    expect(project(left, WEBCAM_4_3).x).toBeGreaterThan(0.5);
  });
});

describe('rotationFromHeadPose and headPoseFromRotation', () => {
  test.each(POSES)('round-trip yaw %d°, pitch %d°, roll %d°', (yawDeg, pitchDeg, rollDeg) => {
    const pose = headPoseFromRotation(rotationFromHeadPose({ yawDeg, pitchDeg, rollDeg }));
    expect(pose.yawDeg).toBeCloseTo(yawDeg, 9);
    expect(pose.pitchDeg).toBeCloseTo(pitchDeg, 9);
    expect(pose.rollDeg).toBeCloseTo(rollDeg, 9);
  });

  test.each(POSES)('matches the elementary-rotation product for %d°, %d°, %d°', (y, p, r) => {
    const closedForm = rotationFromHeadPose({ yawDeg: y, pitchDeg: p, rollDeg: r });
    const product = headRotation(y, p, r);
    closedForm.forEach((value, i) => expect(value).toBeCloseTo(product[i] as number, 12));
  });
});

describe('angleBetweenPosesDeg', () => {
  const pose = (yawDeg: number, pitchDeg: number, rollDeg: number) => ({
    yawDeg,
    pitchDeg,
    rollDeg,
  });
  test.each([
    ['identical poses', pose(10, -5, 3), pose(10, -5, 3), 0],
    ['a pure yaw step', pose(0, 0, 0), pose(30, 0, 0), 30],
    ['a pure pitch step', pose(0, 10, 0), pose(0, -20, 0), 30],
    ['a pure roll step', pose(0, 0, -5), pose(0, 0, 5), 10],
    ['a small step', pose(1, 2, 3), pose(1.3, 2, 3), 0.3],
    // Yaw turns about the camera's vertical axis, so the step is a 10° rotation even when pitched.
    ['a yaw step while pitched up', pose(0, 30, 0), pose(10, 30, 0), 10],
    ['opposite directions', pose(-90, 0, 0), pose(90, 0, 0), 180],
  ])('measures %s', (_name, a, b, expectedDeg) => {
    expect(angleBetweenPosesDeg(a, b)).toBeCloseTo(expectedDeg, 1);
  });

  test('is symmetric', () => {
    expect(angleBetweenPosesDeg(pose(10, 20, -5), pose(-15, 3, 8))).toBeCloseTo(
      angleBetweenPosesDeg(pose(-15, 3, 8), pose(10, 20, -5)),
      9,
    );
  });
});

function withValue(index: number, value: number): number[] {
  const data = transformColumnMajor(headRotation(0, 0, 0), [0, 0, -50]);
  data[index] = value;
  return data;
}
