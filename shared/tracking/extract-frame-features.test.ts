import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import { DEFAULT_BASELINE } from './calibration';
import { extractFrameFeatures, type ExtractFrameFeaturesInput } from './extract-frame-features';
import type { FaceLandmarkerOutput } from './frame-features';
import { judgeFrame } from './frame-verdict';
import { UNMEASURED_QUALITY, type GrayFrame } from './image-quality';
import {
  blendshapes,
  eyeLookBlendshapes,
  syntheticFace,
  type SyntheticFaceOptions,
} from './testing/synthetic-face';

const THRESHOLD = 0.5;

function output(
  faces: readonly { options: SyntheticFaceOptions; blendshapes?: ReturnType<typeof blendshapes> }[],
): FaceLandmarkerOutput {
  const built = faces.map((face) => syntheticFace(face.options));
  return {
    faceLandmarks: built.map((face) => face.landmarks),
    faceBlendshapes: faces.map((face) => ({ categories: face.blendshapes ?? [] })),
    facialTransformationMatrixes: built.map((face) => ({ rows: 4, columns: 4, data: face.matrix })),
  };
}

function input(overrides: Partial<ExtractFrameFeaturesInput>): ExtractFrameFeaturesInput {
  return {
    output: output([]),
    gray: grayFrame(160, 120, 100),
    timestampMs: 1_700_000_000_000,
    inferenceMs: 14,
    blinkThreshold: THRESHOLD,
    ...overrides,
  };
}

function grayFrame(width: number, height: number, level: number): GrayFrame {
  return { data: new Uint8Array(width * height).fill(level), width, height };
}

describe('extractFrameFeatures', () => {
  test('reports no face and measures the image when nobody is there', () => {
    const features = extractFrameFeatures(input({}));
    expect(features).toEqual({
      timestampMs: 1_700_000_000_000,
      faceCount: 0,
      main: null,
      quality: { luminance: 100, sharpness: 0, faceLuminance: null },
      inferenceMs: 14,
    });
  });

  test.each([
    [0, 0, 0],
    [20, -10, 5],
    [-30, 15, -12],
  ])(
    'recovers the head pose of one face (yaw %d°, pitch %d°, roll %d°)',
    (yawDeg, pitchDeg, rollDeg) => {
      const features = extractFrameFeatures(
        input({ output: output([{ options: { yawDeg, pitchDeg, rollDeg } }]) }),
      );
      expect(features.faceCount).toBe(1);
      expect(features.main?.pose?.yawDeg).toBeCloseTo(yawDeg, 6);
      expect(features.main?.pose?.pitchDeg).toBeCloseTo(pitchDeg, 6);
      expect(features.main?.pose?.rollDeg).toBeCloseTo(rollDeg, 6);
      expect(features.main?.areaRatio).toBeGreaterThan(0);
    },
  );

  test.each([
    [0, 0],
    [15, 0],
    [-20, 10],
    [10, -15],
  ])('recovers a gaze of %d°, %d° of a frontal face from its projected irises', (h, v) => {
    const features = extractFrameFeatures(
      input({
        output: output([{ options: { gazeHorizontalDeg: h, gazeVerticalDeg: v } }]),
        // The synthetic webcam is 4:3, like the default 160x120 grey frame.
        aspectRatio: 4 / 3,
      }),
    );
    expect(Math.abs((features.main?.gaze?.horizontalDeg ?? Infinity) - h)).toBeLessThanOrEqual(3);
    expect(Math.abs((features.main?.gaze?.verticalDeg ?? Infinity) - v)).toBeLessThanOrEqual(3);
  });

  test('takes the aspect ratio from the grey frame when not given', () => {
    // A 16:9 webcam: same horizontal field of view, landmarks normalised by a shorter height.
    const camera = { focalX: 0.866, focalY: 0.866 * (16 / 9) };
    const face = syntheticFace({ gazeVerticalDeg: 15, gazeHorizontalDeg: -10, camera });
    const features = extractFrameFeatures(
      input({
        output: {
          faceLandmarks: [face.landmarks],
          faceBlendshapes: [],
          facialTransformationMatrixes: [],
        },
        gray: grayFrame(160, 90, 80),
      }),
    );
    expect(Math.abs((features.main?.gaze?.verticalDeg ?? Infinity) - 15)).toBeLessThanOrEqual(3);
    expect(Math.abs((features.main?.gaze?.horizontalDeg ?? Infinity) + 10)).toBeLessThanOrEqual(3);
  });

  test('picks the largest face as the main one and counts every face', () => {
    const features = extractFrameFeatures(
      input({
        output: output([
          { options: { translationCm: [20, 5, -150], yawDeg: -30 } },
          { options: { translationCm: [0, 0, -50], yawDeg: 12 } },
          { options: { translationCm: [-20, 0, -120], yawDeg: 40 } },
        ]),
      }),
    );
    expect(features.faceCount).toBe(3);
    expect(features.main?.pose?.yawDeg).toBeCloseTo(12, 6);
  });

  test('marks closed eyes and drops the gaze of a blink', () => {
    const features = extractFrameFeatures(
      input({
        output: output([
          {
            options: { gazeHorizontalDeg: 20 },
            blendshapes: blendshapes({ eyeBlinkLeft: 0.9, eyeBlinkRight: 0.8 }),
          },
        ]),
      }),
    );
    expect(features.main?.eyesClosed).toBe(true);
    expect(features.main?.eyeOpenness).toBeCloseTo(0.15, 6);
    expect(features.main?.gaze).toBeNull();
  });

  test('falls back to blendshape gaze without irises', () => {
    const features = extractFrameFeatures(
      input({
        output: output([
          { options: { landmarkCount: 468 }, blendshapes: eyeLookBlendshapes(-14, 7) },
        ]),
      }),
    );
    expect(features.main?.gaze?.horizontalDeg).toBeCloseTo(-14, 6);
    expect(features.main?.gaze?.verticalDeg).toBeCloseTo(7, 6);
  });

  test('has no pose when MediaPipe gave no matrix, and keeps the rest', () => {
    const result = output([{ options: {} }]);
    const features = extractFrameFeatures(
      input({ output: { ...result, facialTransformationMatrixes: [] } }),
    );
    expect(features.faceCount).toBe(1);
    expect(features.main?.pose).toBeNull();
    expect(features.main?.gaze).not.toBeNull();
  });

  test('measures the face luminance inside the main face box', () => {
    const width = 160;
    const height = 120;
    const gray = grayFrame(width, height, 30);
    const result = output([{ options: {} }]);
    const features = extractFrameFeatures(input({ output: result, gray }));
    const box = features.main?.box;
    expect(box).toBeDefined();
    expect(features.quality.faceLuminance).toBe(30);
    expect(features.quality.measured).toBeUndefined();
  });

  test('marks the quality unmeasured without a grey frame', () => {
    const features = extractFrameFeatures(input({ output: output([{ options: {} }]), gray: null }));
    expect(features.quality).toBe(UNMEASURED_QUALITY);
    expect(features.quality.measured).toBe(false);
  });

  test.each([
    ['turned 20° with the eyes 8° back towards the camera', 20, -8, true],
    ['turned 20° with the eyes straight ahead', 20, 0, true],
    ['turned 35° with the eyes straight ahead', 35, 0, false],
    ['frontal with the eyes 25° to the side', 0, 25, false],
    ['turned -15° with the eyes 8° back towards the camera', -15, 8, true],
  ])('end to end: a head %s is on screen: %s', (_name, yawDeg, gazeHorizontalDeg, expected) => {
    const features = extractFrameFeatures(
      input({ output: output([{ options: { yawDeg, gazeHorizontalDeg } }]) }),
    );
    expect(judgeFrame(features, DEFAULT_BASELINE, DEFAULT_POLICY).onScreen).toBe(expected);
  });

  test('ignores faces whose landmarks are all outside the image', () => {
    const offImage = syntheticFace({ translationCm: [200, 0, -50] });
    const features = extractFrameFeatures(
      input({
        output: {
          faceLandmarks: [offImage.landmarks],
          faceBlendshapes: [],
          facialTransformationMatrixes: [{ rows: 4, columns: 4, data: offImage.matrix }],
        },
      }),
    );
    expect(features.faceCount).toBe(0);
    expect(features.main).toBeNull();
  });

  test('replaces a non-finite inference time with 0', () => {
    expect(extractFrameFeatures(input({ inferenceMs: Number.NaN })).inferenceMs).toBe(0);
  });
});
