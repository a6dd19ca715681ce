import { describe, expect, test } from 'vitest';
import { faceBoxAreaRatio, faceBoxFromLandmarks } from './face-box';
import type { Landmark } from './frame-features';
import { syntheticFace } from './testing/synthetic-face';

const point = (x: number, y: number): Landmark => ({ x, y, z: 0 });

describe('faceBoxFromLandmarks on a projected face', () => {
  test.each([
    [0, 0, 0, [0, 0, -55]],
    [30, 0, 0, [0, 0, -55]],
    [-20, 15, 10, [5, -3, -60]],
    [10, -25, -30, [-8, 4, -45]],
    [40, 40, 40, [0, 0, -80]],
  ] as const)(
    'is the extent of the projected points (yaw %d°, pitch %d°, roll %d°)',
    (yawDeg, pitchDeg, rollDeg, translation) => {
      const face = syntheticFace({ yawDeg, pitchDeg, rollDeg, translationCm: translation });
      const xs = face.landmarks.map((landmark) => landmark.x);
      const ys = face.landmarks.map((landmark) => landmark.y);
      const box = faceBoxFromLandmarks(face.landmarks);
      expect(box).not.toBeNull();
      expect(box?.x).toBeCloseTo(Math.min(...xs), 12);
      expect(box?.y).toBeCloseTo(Math.min(...ys), 12);
      expect(box?.width).toBeCloseTo(Math.max(...xs) - Math.min(...xs), 12);
      expect(box?.height).toBeCloseTo(Math.max(...ys) - Math.min(...ys), 12);
    },
  );

  test('shrinks with distance: a face twice as far covers about a quarter of the area', () => {
    const near = faceBoxFromLandmarks(syntheticFace({ translationCm: [0, 0, -40] }).landmarks);
    const far = faceBoxFromLandmarks(syntheticFace({ translationCm: [0, 0, -80] }).landmarks);
    expect(near && far).toBeTruthy();
    if (!near || !far) return;
    expect(faceBoxAreaRatio(far) / faceBoxAreaRatio(near)).toBeCloseTo(0.25, 1);
  });

  test('a frontal face at 55 cm fills a plausible share of a 4:3 webcam frame', () => {
    const box = faceBoxFromLandmarks(syntheticFace().landmarks);
    expect(box).not.toBeNull();
    if (!box) return;
    expect(box.x + box.width / 2).toBeCloseTo(0.5, 2);
    expect(faceBoxAreaRatio(box)).toBeGreaterThan(0.05);
    expect(faceBoxAreaRatio(box)).toBeLessThan(0.3);
  });
});

describe('faceBoxFromLandmarks edge cases', () => {
  test('clamps a face cut by the frame edge to the visible part', () => {
    const box = faceBoxFromLandmarks([point(-0.1, 0.2), point(0.3, 1.2), point(0.1, 0.5)]);
    expect(box).toEqual({ x: 0, y: 0.2, width: 0.3, height: expect.closeTo(0.8, 12) as number });
  });

  test('clamps a face moved partly off the frame to the image', () => {
    const face = syntheticFace({ translationCm: [-25, 0, -50] });
    const box = faceBoxFromLandmarks(face.landmarks);
    expect(box?.x).toBe(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1);
  });

  test.each([
    ['no landmarks', []],
    ['only non-finite landmarks', [point(Number.NaN, 0.5), point(0.5, Number.POSITIVE_INFINITY)]],
    ['a face entirely outside the image', [point(1.2, 0.2), point(1.5, 0.4)]],
    ['a single point', [point(0.5, 0.5)]],
  ])('returns null for %s', (_name, landmarks) => {
    expect(faceBoxFromLandmarks(landmarks)).toBeNull();
  });

  test('skips non-finite landmarks instead of poisoning the box', () => {
    const box = faceBoxFromLandmarks([point(0.2, 0.2), point(Number.NaN, 0.9), point(0.4, 0.6)]);
    expect(box?.x).toBeCloseTo(0.2, 12);
    expect(box?.y).toBeCloseTo(0.2, 12);
    expect(box?.width).toBeCloseTo(0.2, 12);
    expect(box?.height).toBeCloseTo(0.4, 12);
  });
});

describe('faceBoxAreaRatio', () => {
  test.each([
    [{ x: 0, y: 0, width: 1, height: 1 }, 1],
    [{ x: 0.25, y: 0.25, width: 0.5, height: 0.5 }, 0.25],
    [{ x: 0.1, y: 0.1, width: 0.2, height: 0.3 }, 0.06],
    [{ x: 0, y: 0, width: Number.NaN, height: 0.3 }, 0],
  ])('of %o is %d', (box, expected) => {
    expect(faceBoxAreaRatio(box)).toBeCloseTo(expected, 12);
  });
});
