import { describe, expect, test } from 'vitest';
import { EAR_CLOSED, EAR_OPEN, eyeAspectRatio, eyeOpenness } from './eye-openness';
import { RIGHT_EYE } from './landmark-indices';
import { blendshapes } from './testing/synthetic-face';
import { syntheticEyes } from './testing/synthetic-eyes';

const THRESHOLD = 0.5;
const eyesWithGap = (lidGapShare: number, aspectRatio = 1) =>
  syntheticEyes({ horizontalDeg: 0, verticalDeg: 0, lidGapShare, aspectRatio });

describe('eyeOpenness from blink blendshapes', () => {
  test.each([
    ['both open', 0.05, 0.1, 0.925, false],
    ['both closed', 0.9, 0.8, 0.15, true],
    ['a wink (one eye closed) is not eyes closed', 0.95, 0.1, 0.475, false],
    ['both just above the threshold', 0.51, 0.52, 0.485, true],
    ['both exactly at the threshold', 0.5, 0.5, 0.5, false],
  ])('%s', (_name, blinkLeft, blinkRight, openness, closed) => {
    const result = eyeOpenness(
      eyesWithGap(0.3),
      blendshapes({ eyeBlinkLeft: blinkLeft, eyeBlinkRight: blinkRight }),
      THRESHOLD,
    );
    expect(result.eyeOpenness).toBeCloseTo(openness, 6);
    expect(result.eyesClosed).toBe(closed);
  });

  test('prefers the blendshapes over contradicting landmarks', () => {
    const result = eyeOpenness(
      eyesWithGap(0.02),
      blendshapes({ eyeBlinkLeft: 0, eyeBlinkRight: 0 }),
      THRESHOLD,
    );
    expect(result).toEqual({ eyeOpenness: 1, eyesClosed: false });
  });
});

describe('eyeOpenness from the eye aspect ratio when blendshapes are missing', () => {
  test.each([
    ['wide open', 0.35, 1, false],
    ['normally open', EAR_OPEN, 1, false],
    ['half open', EAR_CLOSED + 0.6 * (EAR_OPEN - EAR_CLOSED), 0.6, false],
    ['nearly closed', EAR_CLOSED + 0.3 * (EAR_OPEN - EAR_CLOSED), 0.3, true],
    ['closed', 0.04, 0, true],
    ['just closed', EAR_CLOSED, 0, true],
  ])('reads %s eyes', (_name, ratio, openness, closed) => {
    const result = eyeOpenness(eyesWithGap(ratio), [], THRESHOLD);
    expect(result.eyeOpenness).toBeCloseTo(openness, 6);
    expect(result.eyesClosed).toBe(closed);
  });

  test('corrects the ratio for the frame aspect ratio', () => {
    const landmarks = eyesWithGap(0.3, 16 / 9);
    expect(eyeAspectRatio(landmarks, RIGHT_EYE, 9 / 16)).toBeCloseTo(0.3, 9);
    expect(eyeOpenness(landmarks, [], THRESHOLD, 16 / 9).eyeOpenness).toBe(1);
  });

  test('mixes a blendshape for one eye with the ratio of the other', () => {
    const result = eyeOpenness(eyesWithGap(0.04), blendshapes({ eyeBlinkLeft: 0.2 }), THRESHOLD);
    // Left from the blendshape (blink 0.2), right from the ratio (blink 1).
    expect(result.eyeOpenness).toBeCloseTo(0.4, 6);
    expect(result.eyesClosed).toBe(false);
  });

  test('counts the eyes as open when nothing can be measured', () => {
    expect(eyeOpenness([], [], THRESHOLD)).toEqual({ eyeOpenness: 1, eyesClosed: false });
  });
});
