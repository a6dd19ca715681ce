import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import { MetricSampleSchema } from '../protocol/metric-sample';
import { DEFAULT_BASELINE } from './calibration';
import type { Baseline, FrameFeatures, ImageQuality } from './frame-features';
import { UNMEASURED_QUALITY } from './image-quality';
import {
  summariseWindow,
  type MetricSampleBody,
  type SummariseWindowOptions,
} from './metric-window';
import { mulberry32, pick, randomBetween, randomInt, type Random } from './testing/mulberry32';
import {
  BLUR_QUALITY,
  COVERED_QUALITY,
  DARK_QUALITY,
  GLARE_QUALITY,
  GOOD_QUALITY,
  frameSequence,
  makeFrame,
} from './testing/frames';

const policy = DEFAULT_POLICY; // targetFps 10, suddenTurn 120°/s, zero-stability dispersion 15°
const START_MS = 1_700_000_000_000;

/** A 1 s window at 10 fps judged against the camera axis (DEFAULT_BASELINE) unless overridden. */
function options(overrides: Partial<SummariseWindowOptions> = {}): SummariseWindowOptions {
  return {
    windowStartMs: START_MS,
    windowEndMs: START_MS + 1000,
    framesOffered: 10,
    baseline: DEFAULT_BASELINE,
    policy,
    ...overrides,
  };
}

function parse(body: MetricSampleBody, seq = 0) {
  return MetricSampleSchema.safeParse({
    type: 'metric_sample',
    v: 1,
    stream: 'stream_0001',
    seq,
    ...body,
  });
}

/** A random, often hostile, window: odd counts, NaNs, out-of-range angles, shuffled timestamps. */
function randomWindow(random: Random): {
  frames: FrameFeatures[];
  options: SummariseWindowOptions;
} {
  const windowStartMs = randomBetween(random, 0, 2e12);
  const durationMs = pick(random, [0, 1, 500, 1000, 1000, 1000, 2000, 30_000]);
  const count = randomInt(random, 0, 45);
  const maybe = <T>(value: T): T | null => (random() < 0.15 ? null : value);
  const angle = (limit: number) =>
    random() < 0.03 ? pick(random, [Number.NaN, 1e9, -1e9]) : randomBetween(random, -limit, limit);
  const quality = (): ImageQuality =>
    random() < 0.1
      ? UNMEASURED_QUALITY
      : {
          luminance: randomBetween(random, 0, 255),
          sharpness: pick(random, [0, randomBetween(random, 0, 20), randomBetween(random, 0, 2e7)]),
          faceLuminance: maybe(randomBetween(random, 0, 255)),
        };
  const frames = Array.from({ length: count }, () =>
    makeFrame({
      timestampMs: windowStartMs + randomBetween(random, 0, Math.max(durationMs, 1)),
      faceCount: pick(random, [0, 1, 1, 1, 1, 2, 3, 20]),
      pose: maybe({ yawDeg: angle(180), pitchDeg: angle(90), rollDeg: angle(180) }),
      gaze: maybe({ horizontalDeg: angle(40), verticalDeg: angle(40) }),
      eyesClosed: random() < 0.2,
      quality: quality(),
      inferenceMs: pick(random, [randomBetween(random, 2, 80), Number.NaN, -5, 1e6]),
    }),
  );
  const baseline: Baseline | null =
    random() < 0.5
      ? null
      : {
          pose: { yawDeg: angle(60), pitchDeg: angle(60), rollDeg: angle(60) },
          gaze: { horizontalDeg: angle(30), verticalDeg: angle(30) },
        };
  return {
    frames,
    options: {
      windowStartMs,
      windowEndMs: windowStartMs + durationMs,
      framesOffered: pick(random, [
        0,
        count,
        count + randomInt(random, 0, 20),
        Math.max(0, count - 3),
      ]),
      baseline,
      policy,
    },
  };
}

describe('summariseWindow on random windows (property checks)', () => {
  const seeds = Array.from({ length: 300 }, (_, i) => i + 1);

  test.each(seeds)('seed %d: the sample satisfies MetricSampleSchema', (seed) => {
    const { frames, options: windowOptions } = randomWindow(mulberry32(seed));
    const result = parse(summariseWindow(frames, windowOptions), seed);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  test.each(seeds)('seed %d: face ratios sum to 1 and coverage stays in 0..1', (seed) => {
    const { frames, options: windowOptions } = randomWindow(mulberry32(seed));
    const body = summariseWindow(frames, windowOptions);
    const sum = body.oneFaceRatio + body.noFaceRatio + body.multiFaceRatio;
    expect(sum).toBeCloseTo(frames.length > 0 ? 1 : 0, 9);
    expect(body.coverage).toBeGreaterThanOrEqual(0);
    expect(body.coverage).toBeLessThanOrEqual(1);
    expect(body.framesAnalysed).toBe(frames.length);
  });

  test.each(seeds)('seed %d: without a baseline nobody is judged looking away', (seed) => {
    const { frames, options: windowOptions } = randomWindow(mulberry32(seed));
    const body = summariseWindow(frames, { ...windowOptions, baseline: null });
    expect(body.lookingAwayRatio).toBeNull();
    expect([null, 0]).toContain(body.focusConsistency);
    expect(body.calibrated).toBe(false);
    expect(parse(body, seed).error?.issues ?? []).toEqual([]);
  });

  test('does not depend on the order the frames come in', () => {
    const { frames, options: windowOptions } = randomWindow(mulberry32(99));
    const reversed = [...frames].reverse();
    expect(summariseWindow(reversed, windowOptions)).toEqual(
      summariseWindow(frames, windowOptions),
    );
  });
});

describe('summariseWindow with nothing to summarise', () => {
  test('an empty window without frames offered reports no_frames', () => {
    const body = summariseWindow([], options({ framesOffered: 0, baseline: null }));
    expect(body).toEqual({
      windowStartMs: START_MS,
      windowEndMs: START_MS + 1000,
      framesOffered: 0,
      framesAnalysed: 0,
      analysedFps: 0,
      inferenceMsMedian: null,
      faceCountMax: 0,
      oneFaceRatio: 0,
      noFaceRatio: 0,
      multiFaceRatio: 0,
      gazeStability: null,
      gazeDispersionDeg: null,
      headSpeedDegPerS: null,
      suddenTurns: 0,
      focusConsistency: null,
      lookingAwayRatio: null,
      yawDeg: null,
      pitchDeg: null,
      rollDeg: null,
      blinkRatePerMin: null,
      luminance: null,
      sharpness: null,
      faceLuminance: null,
      coverage: 0,
      qualityIssue: 'no_frames',
      calibrated: false,
    });
    expect(parse(body).success).toBe(true);
  });

  test('frames offered but none analysed is an analysis gap', () => {
    const body = summariseWindow([], options({ framesOffered: 12 }));
    expect(body.qualityIssue).toBe('analysis_gap');
    expect(body.framesOffered).toBe(12);
    expect(body.coverage).toBe(0);
  });

  test('a zero-length window stays valid', () => {
    const frames = [makeFrame({ timestampMs: START_MS })];
    const body = summariseWindow(frames, options({ windowEndMs: START_MS }));
    expect(body.analysedFps).toBe(0);
    expect(body.coverage).toBe(0);
    expect(body.blinkRatePerMin).toBeNull();
    expect(parse(body).success).toBe(true);
  });

  test('raises framesOffered to the frames analysed and repairs a reversed window', () => {
    const frames = frameSequence(5, 10, START_MS, () => ({}));
    const body = summariseWindow(frames, options({ framesOffered: 2, windowEndMs: START_MS - 50 }));
    expect(body.framesOffered).toBe(5);
    expect(body.windowEndMs).toBe(START_MS);
    expect(parse(body).success).toBe(true);
  });
});

describe('summariseWindow on a still, attentive candidate', () => {
  const frames = frameSequence(10, 10, START_MS, () => ({
    pose: { yawDeg: 3, pitchDeg: -4, rollDeg: 1 },
    gaze: { horizontalDeg: -1, verticalDeg: 2 },
    inferenceMs: 15,
  }));
  const body = summariseWindow(frames, options());

  test('moves the head at ~0°/s with no sudden turn', () => {
    expect(body.headSpeedDegPerS).toBeCloseTo(0, 6);
    expect(body.suddenTurns).toBe(0);
  });

  test('is fully focused, never looking away, with a steady gaze', () => {
    expect(body.focusConsistency).toBe(1);
    expect(body.lookingAwayRatio).toBe(0);
    expect(body.gazeStability).toBeCloseTo(1, 9);
    expect(body.gazeDispersionDeg).toBeCloseTo(0, 9);
  });

  test('is fully covered at the target rate', () => {
    expect(body.framesAnalysed).toBe(10);
    expect(body.analysedFps).toBe(10);
    expect(body.coverage).toBe(1);
    expect(body.oneFaceRatio).toBe(1);
    expect(body.qualityIssue).toBe('none');
    expect(body.inferenceMsMedian).toBe(15);
  });

  test('reports the mean pose and image statistics', () => {
    expect(body.yawDeg).toBeCloseTo(3, 9);
    expect(body.pitchDeg).toBeCloseTo(-4, 9);
    expect(body.rollDeg).toBeCloseTo(1, 9);
    expect(body.luminance).toBe(GOOD_QUALITY.luminance);
    expect(body.sharpness).toBe(GOOD_QUALITY.sharpness);
    expect(body.faceLuminance).toBe(GOOD_QUALITY.faceLuminance);
    expect(body.blinkRatePerMin).toBe(0);
  });
});

describe('summariseWindow head movement', () => {
  test.each([
    ['yaw', (d: number) => ({ yawDeg: d })],
    ['pitch', (d: number) => ({ pitchDeg: d })],
    ['roll', (d: number) => ({ rollDeg: d })],
    ['yaw while pitched down', (d: number) => ({ yawDeg: d, pitchDeg: -20 })],
  ])('a head turning at 30°/s in %s reads 30°/s within 10%%', (_axis, pose) => {
    const frames = frameSequence(10, 10, START_MS, (i) => ({ pose: pose(-15 + 3 * i) }));
    const body = summariseWindow(frames, options());
    expect(body.headSpeedDegPerS).toBeGreaterThan(27);
    expect(body.headSpeedDegPerS).toBeLessThan(33);
    expect(body.suddenTurns).toBe(0);
  });

  test('uses the real time between frames, not the frame count', () => {
    // 7 fps with jittered timestamps, turning at 30°/s.
    const random = mulberry32(5);
    const times = Array.from(
      { length: 7 },
      (_, i) => START_MS + i * 142 + randomBetween(random, -20, 20),
    );
    const frames = times.map((t) =>
      makeFrame({ timestampMs: t, pose: { yawDeg: ((t - START_MS) / 1000) * 30 } }),
    );
    expect(summariseWindow(frames, options()).headSpeedDegPerS).toBeCloseTo(30, 6);
  });

  test('a fast 200°/s swing over several frames counts one sudden turn', () => {
    // Still, then 20° per 100 ms for four frames, then still.
    const yaw = [0, 0, 0, 0, 20, 40, 60, 80, 80, 80];
    const frames = frameSequence(10, 10, START_MS, (i) => ({ pose: { yawDeg: yaw[i] ?? 0 } }));
    const body = summariseWindow(frames, options());
    expect(body.suddenTurns).toBe(1);
    expect(body.headSpeedDegPerS).toBeCloseTo((80 / 9) * 10, 6);
  });

  test('two separate swings count two sudden turns', () => {
    const yaw = [0, 25, 50, 50, 50, 50, 25, 0, 0, 0];
    const frames = frameSequence(10, 10, START_MS, (i) => ({ pose: { yawDeg: yaw[i] ?? 0 } }));
    expect(summariseWindow(frames, options()).suddenTurns).toBe(2);
  });

  test('does not measure speed across a frame without the face', () => {
    const frames = [
      makeFrame({ timestampMs: START_MS, pose: { yawDeg: 0 } }),
      makeFrame({ timestampMs: START_MS + 100, faceCount: 0 }),
      makeFrame({ timestampMs: START_MS + 200, pose: { yawDeg: 60 } }),
    ];
    const body = summariseWindow(frames, options());
    expect(body.headSpeedDegPerS).toBeNull();
    expect(body.suddenTurns).toBe(0);
  });

  test('is null with fewer than two one-face frames', () => {
    expect(
      summariseWindow([makeFrame({ timestampMs: START_MS })], options()).headSpeedDegPerS,
    ).toBeNull();
  });
});

describe('summariseWindow attention', () => {
  test('calibration shifts the zero of pose and focus', () => {
    const frames = frameSequence(10, 10, START_MS, () => ({
      pose: { yawDeg: 30, pitchDeg: -12 },
      gaze: { horizontalDeg: -2, verticalDeg: -5 },
    }));
    const baseline: Baseline = {
      pose: { yawDeg: 30, pitchDeg: -12, rollDeg: 0 },
      gaze: { horizontalDeg: -2, verticalDeg: -5 },
    };
    const uncalibrated = summariseWindow(frames, options({ baseline: null }));
    const cameraAxis = summariseWindow(frames, options({ baseline: DEFAULT_BASELINE }));
    const calibrated = summariseWindow(frames, options({ baseline }));
    expect(uncalibrated.yawDeg).toBeCloseTo(30, 9);
    expect(uncalibrated.focusConsistency).toBeNull();
    expect(uncalibrated.lookingAwayRatio).toBeNull();
    expect(uncalibrated.calibrated).toBe(false);
    expect(cameraAxis.yawDeg).toBeCloseTo(30, 9);
    expect(cameraAxis.focusConsistency).toBe(0);
    expect(cameraAxis.lookingAwayRatio).toBe(1);
    expect(calibrated.yawDeg).toBeCloseTo(0, 9);
    expect(calibrated.pitchDeg).toBeCloseTo(0, 9);
    expect(calibrated.focusConsistency).toBe(1);
    expect(calibrated.lookingAwayRatio).toBe(0);
    expect(calibrated.calibrated).toBe(true);
  });

  test('counts usable frames without the candidate as not focused', () => {
    const frames = frameSequence(10, 10, START_MS, (i) => ({
      faceCount: i < 5 ? 1 : i < 8 ? 0 : 2,
    }));
    const body = summariseWindow(frames, options());
    expect(body.focusConsistency).toBe(0.5);
    expect(body.lookingAwayRatio).toBe(0);
    expect(body.oneFaceRatio).toBe(0.5);
    expect(body.noFaceRatio).toBeCloseTo(0.3, 9);
    expect(body.multiFaceRatio).toBeCloseTo(0.2, 9);
    expect(body.faceCountMax).toBe(2);
  });

  test('leaves frames it cannot measure out of focus, and out of coverage', () => {
    const frames = frameSequence(10, 10, START_MS, (i) =>
      i < 5 ? {} : { faceCount: 0, quality: COVERED_QUALITY },
    );
    const body = summariseWindow(frames, options());
    expect(body.focusConsistency).toBe(1);
    expect(body.coverage).toBe(0.5);
    expect(body.noFaceRatio).toBe(0.5);
    expect(body.qualityIssue).toBe('none');
  });

  test('looking away on 3 of 8 one-face frames', () => {
    const frames = frameSequence(8, 10, START_MS, (i) => ({
      gaze: { horizontalDeg: i < 3 ? 25 : 0 },
    }));
    const body = summariseWindow(frames, options({ framesOffered: 8 }));
    expect(body.lookingAwayRatio).toBeCloseTo(3 / 8, 9);
    expect(body.focusConsistency).toBeCloseTo(5 / 8, 9);
    expect(body.coverage).toBeCloseTo(0.8, 9);
  });

  test('gaze stability falls linearly with the RMS dispersion of the look direction', () => {
    // ±6° horizontally around the mean: RMS 6°, stability 1 − 6/15.
    const frames = frameSequence(10, 10, START_MS, (i) => ({
      gaze: { horizontalDeg: i % 2 ? 6 : -6 },
    }));
    const body = summariseWindow(frames, options());
    expect(body.gazeDispersionDeg).toBeCloseTo(6, 9);
    expect(body.gazeStability).toBeCloseTo(0.6, 9);
  });

  test('gaze stability bottoms out at 0 for a wandering gaze', () => {
    const frames = frameSequence(10, 10, START_MS, (i) => ({
      gaze: { horizontalDeg: i % 2 ? 30 : -30 },
    }));
    expect(summariseWindow(frames, options()).gazeStability).toBe(0);
  });

  test('gaze stability is null with fewer than two frames with a gaze', () => {
    const frames = frameSequence(10, 10, START_MS, (i) => ({
      gaze: i === 0 ? {} : null,
      eyesClosed: i > 0,
    }));
    const body = summariseWindow(frames, options());
    expect(body.gazeStability).toBeNull();
    expect(body.gazeDispersionDeg).toBeNull();
  });
});

describe('summariseWindow before calibration (no baseline)', () => {
  const uncalibrated = (overrides: Partial<SummariseWindowOptions> = {}) =>
    options({ baseline: null, ...overrides });

  test('one-face frames are no evidence either way: focus and looking away are null', () => {
    // MediaPipe reads a frontal face at about -16° pitch; without a baseline that is not "away".
    const frames = frameSequence(10, 10, START_MS, (i) => ({
      pose: { yawDeg: 4, pitchDeg: -16 },
      gaze: { horizontalDeg: i < 3 ? 25 : 0 },
    }));
    const body = summariseWindow(frames, uncalibrated());
    expect(body.focusConsistency).toBeNull();
    expect(body.lookingAwayRatio).toBeNull();
    expect(body.calibrated).toBe(false);
    // The rest of the window is still measured.
    expect(body.oneFaceRatio).toBe(1);
    expect(body.coverage).toBe(1);
    expect(body.yawDeg).toBeCloseTo(4, 9);
    expect(body.pitchDeg).toBeCloseTo(-16, 9);
    expect(body.gazeStability).not.toBeNull();
    expect(body.headSpeedDegPerS).toBeCloseTo(0, 6);
  });

  test.each([
    ['no face', 0],
    ['several faces', 2],
  ] as const)('usable frames with %s still count as not focused', (_name, faceCount) => {
    const frames = frameSequence(10, 10, START_MS, () => ({ faceCount }));
    const body = summariseWindow(frames, uncalibrated());
    expect(body.focusConsistency).toBe(0);
    expect(body.lookingAwayRatio).toBeNull();
    expect(body.calibrated).toBe(false);
  });

  test('a mixed window is judged on its frames without the candidate only', () => {
    const frames = frameSequence(10, 10, START_MS, (i) => ({ faceCount: i < 6 ? 1 : 0 }));
    const body = summariseWindow(frames, uncalibrated());
    expect(body.focusConsistency).toBe(0);
    expect(body.lookingAwayRatio).toBeNull();
    expect(body.oneFaceRatio).toBeCloseTo(0.6, 9);
    expect(body.noFaceRatio).toBeCloseTo(0.4, 9);
    expect(body.coverage).toBe(1);
    expect(body.calibrated).toBe(false);
    // Against the camera axis the six one-face frames would count as focused.
    expect(summariseWindow(frames, options()).focusConsistency).toBeCloseTo(0.6, 9);
  });

  test('unusable frames without a face are still no evidence', () => {
    const frames = frameSequence(10, 10, START_MS, (i) =>
      i < 5 ? {} : { faceCount: 0, quality: COVERED_QUALITY },
    );
    const body = summariseWindow(frames, uncalibrated());
    expect(body.focusConsistency).toBeNull();
    expect(body.lookingAwayRatio).toBeNull();
    expect(body.coverage).toBe(0.5);
  });
});

describe('summariseWindow blinks', () => {
  test.each([
    ['no blink', [], 0],
    ['one blink over two frames', [3, 4], 60],
    ['two blinks', [1, 6, 7], 120],
    ['eyes closed to the end (no reopening yet)', [8, 9], 0],
  ])('%s in a 1 s window', (_name, closedFrames, perMinute) => {
    const closed = new Set<number>(closedFrames);
    const frames = frameSequence(10, 10, START_MS, (i) => ({ eyesClosed: closed.has(i) }));
    expect(summariseWindow(frames, options()).blinkRatePerMin).toBe(perMinute);
  });

  test('scales by the window length', () => {
    const frames = frameSequence(20, 10, START_MS, (i) => ({ eyesClosed: i === 5 }));
    expect(summariseWindow(frames, options({ windowEndMs: START_MS + 2000 })).blinkRatePerMin).toBe(
      30,
    );
  });

  test('is null with fewer than two frames of the face', () => {
    const frames = [
      makeFrame({ timestampMs: START_MS }),
      makeFrame({ timestampMs: START_MS + 100, faceCount: 0 }),
    ];
    expect(summariseWindow(frames, options()).blinkRatePerMin).toBeNull();
  });
});

describe('summariseWindow quality', () => {
  /** Frames in which the detector found no face: only their picture can explain it. */
  const withQualities = (qualities: readonly ImageQuality[]) =>
    summariseWindow(
      qualities.map((quality, i) =>
        makeFrame({ timestampMs: START_MS + i * 100, faceCount: 0, quality }),
      ),
      options(),
    );

  test('frames in which the face was found are measured however dark: full coverage', () => {
    const frames = Array.from({ length: 10 }, (_, i) =>
      makeFrame({ timestampMs: START_MS + i * 100, quality: DARK_QUALITY }),
    );
    const body = summariseWindow(frames, options());
    expect(body.coverage).toBe(1);
    expect(body.qualityIssue).toBe('none');
    expect(body.focusConsistency).not.toBeNull();
  });

  test.each([
    [
      '6 of 10 dark',
      [...Array<ImageQuality>(6).fill(DARK_QUALITY), ...Array<ImageQuality>(4).fill(GOOD_QUALITY)],
      'dark',
    ],
    [
      '5 of 10 dark (not more than half)',
      [...Array<ImageQuality>(5).fill(DARK_QUALITY), ...Array<ImageQuality>(5).fill(GOOD_QUALITY)],
      'none',
    ],
    ['all covered', Array<ImageQuality>(10).fill(COVERED_QUALITY), 'covered'],
    [
      'glare beats a smaller share of blur',
      [
        ...Array<ImageQuality>(4).fill(GLARE_QUALITY),
        ...Array<ImageQuality>(3).fill(BLUR_QUALITY),
        ...Array<ImageQuality>(3).fill(GOOD_QUALITY),
      ],
      'glare',
    ],
    [
      'a tie goes to the more explanatory issue',
      [
        ...Array<ImageQuality>(3).fill(BLUR_QUALITY),
        ...Array<ImageQuality>(3).fill(COVERED_QUALITY),
      ],
      'covered',
    ],
  ] as const)('%s → %s', (_name, qualities, issue) => {
    expect(withQualities(qualities).qualityIssue).toBe(issue);
  });

  test('averages image statistics over measured frames only, usable or not', () => {
    const body = withQualities([GOOD_QUALITY, DARK_QUALITY, UNMEASURED_QUALITY]);
    expect(body.luminance).toBeCloseTo((GOOD_QUALITY.luminance + DARK_QUALITY.luminance) / 2, 9);
    expect(body.sharpness).toBeCloseTo((GOOD_QUALITY.sharpness + DARK_QUALITY.sharpness) / 2, 9);
    expect(body.coverage).toBeCloseTo(0.2, 9);
  });

  test('frames without pixel statistics count as usable but report no luminance', () => {
    const body = withQualities(Array<ImageQuality>(10).fill(UNMEASURED_QUALITY));
    expect(body.luminance).toBeNull();
    expect(body.sharpness).toBeNull();
    expect(body.coverage).toBe(1);
    expect(body.qualityIssue).toBe('none');
  });

  test('takes the median inference time of the analysed frames', () => {
    const times = [10, 50, 12, 11, 300];
    const frames = times.map((inferenceMs, i) =>
      makeFrame({ timestampMs: START_MS + i * 100, inferenceMs }),
    );
    expect(summariseWindow(frames, options()).inferenceMsMedian).toBe(12);
  });
});
