import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../shared/policy/policy';
import type { FrameFeatures, HeadPose } from '../../../shared/tracking/frame-features';
import { createSampleWindow } from './sample-window';

const START_MS = 1_700_000_000_000;

/** A well-lit frame with `faceCount` faces; the main one at `pose`, eyes at the camera. */
function frame(
  timestampMs: number,
  faceCount = 1,
  pose: HeadPose = { yawDeg: 5, pitchDeg: -3, rollDeg: 0 },
): FrameFeatures {
  return {
    timestampMs,
    faceCount,
    main:
      faceCount === 0
        ? null
        : {
            box: { x: 0.3, y: 0.2, width: 0.4, height: 0.5 },
            areaRatio: 0.2,
            pose,
            gaze: { horizontalDeg: 0, verticalDeg: 0 },
            eyeOpenness: 0.8,
            eyesClosed: false,
          },
    quality: { luminance: 120, sharpness: 200, faceLuminance: 130 },
    inferenceMs: 30,
  };
}

function newIds(): () => string {
  let n = 0;
  return () => `event_${(n += 1)}`;
}

/** Feeds frames at 10/s from `fromMs` to `toMs` (exclusive), offering each. */
function feed(
  window: ReturnType<typeof createSampleWindow>,
  fromMs: number,
  toMs: number,
  make: (t: number) => FrameFeatures = (t) => frame(t),
) {
  const emissions = [];
  for (let t = fromMs; t < toMs; t += 100) {
    window.offer(t);
    emissions.push(...window.addFrame(make(t)));
  }
  return emissions;
}

describe('sample window', () => {
  it('emits one sample per whole second with the frames captured in it', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    feed(window, START_MS, START_MS + 2500);
    const samples = window.closeUpTo(START_MS + 2500, { cameraDelivering: true });
    expect(
      samples.map((s) => [s.windowStartMs - START_MS, s.framesOffered, s.framesAnalysed]),
    ).toEqual([
      [0, 10, 10],
      [1000, 10, 10],
    ]);
    // The half second left over goes into the next sample.
    feed(window, START_MS + 2500, START_MS + 3000);
    expect(window.closeUpTo(START_MS + 3000, { cameraDelivering: true })[0]?.framesAnalysed).toBe(
      10,
    );
  });

  it('calibrates after calibrationSeconds and measures pose relative to the baseline', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    expect(window.calibration(START_MS + 1000)).toEqual({
      active: true,
      remainingMs: 2000,
      calibrated: false,
    });
    const samples = [];
    for (let second = 0; second < 4; second += 1) {
      feed(window, START_MS + second * 1000, START_MS + (second + 1) * 1000);
      samples.push(...window.closeUpTo(START_MS + (second + 1) * 1000, { cameraDelivering: true }));
    }
    expect(window.calibration(START_MS + 4000)).toMatchObject({ active: false, calibrated: true });
    expect(window.baseline()?.pose.yawDeg).toBeCloseTo(5);
    expect(samples[0]?.calibrated).toBe(false);
    expect(samples[3]?.calibrated).toBe(true);
    expect(samples[3]?.yawDeg).toBeCloseTo(0);
  });

  it('keeps calibrating until a face is seen', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    feed(window, START_MS, START_MS + 5000, (t) => frame(t, 0));
    expect(window.calibration(START_MS + 5000)).toMatchObject({ active: true, calibrated: false });
    feed(window, START_MS + 6000, START_MS + 9500);
    expect(window.calibration(START_MS + 9500)).toMatchObject({ active: false, calibrated: true });
  });

  it('waits for the candidate to face the screen: a turned calibration is tried again', () => {
    const turned: HeadPose = { yawDeg: -45, pitchDeg: -10, rollDeg: 0 };
    const rest: HeadPose = { yawDeg: -8, pitchDeg: -10, rollDeg: 0 };
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    feed(window, START_MS, START_MS + 3000, (t) => frame(t, 1, turned));
    expect(window.calibration(START_MS + 3000)).toMatchObject({ active: true, calibrated: false });
    feed(window, START_MS + 3000, START_MS + 6100, (t) => frame(t, 1, rest));
    expect(window.calibration(START_MS + 6100)).toMatchObject({ calibrated: true });
    expect(window.baseline()?.pose.yawDeg).toBeCloseTo(-8);
    // The turn after calibration is a look-away.
    const emissions = feed(window, START_MS + 6100, START_MS + 10_000, (t) => frame(t, 1, turned));
    expect(emissions.filter((e) => e.kind === 'looking_away').map((e) => e.phase)).toEqual([
      'start',
    ]);
  });

  it('judges the frames seen while calibrating once the baseline exists: an early turn is found', () => {
    const turned: HeadPose = { yawDeg: -45, pitchDeg: -10, rollDeg: 0 };
    const rest: HeadPose = { yawDeg: -8, pitchDeg: -10, rollDeg: 0 };
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    const emissions = [
      ...feed(window, START_MS, START_MS + 3500, (t) => frame(t, 1, turned)),
      ...feed(window, START_MS + 3500, START_MS + 7000, (t) => frame(t, 1, rest)),
    ];
    const away = emissions.filter((e) => e.kind === 'looking_away');
    expect(away.map((e) => [e.phase, e.startMs - START_MS, e.endMs && e.endMs - START_MS])).toEqual(
      [
        ['start', 0, null],
        ['end', 0, 3500],
      ],
    );
  });

  it('accepts a pose far off the camera axis after a few tries (no calibrating for ever)', () => {
    const askew: HeadPose = { yawDeg: 35, pitchDeg: -10, rollDeg: 0 };
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    feed(window, START_MS, START_MS + 12_100, (t) => frame(t, 1, askew));
    expect(window.calibration(START_MS + 12_100)).toMatchObject({ calibrated: true });
    expect(window.baseline()?.pose.yawDeg).toBeCloseTo(35);
  });

  it('never reports looking away before there is a baseline', () => {
    const away: HeadPose = { yawDeg: 60, pitchDeg: 0, rollDeg: 0 };
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    const emissions = feed(window, START_MS, START_MS + 10_000, (t) => frame(t, 1, away));
    expect(emissions.filter((e) => e.kind === 'looking_away')).toEqual([]);
  });

  it('reports looking away after calibration, live, from the detector', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    feed(window, START_MS, START_MS + 4000);
    const away: HeadPose = { yawDeg: 60, pitchDeg: 0, rollDeg: 0 };
    const emissions = feed(window, START_MS + 4000, START_MS + 10_000, (t) => frame(t, 1, away));
    expect(emissions).toEqual([
      expect.objectContaining({ kind: 'looking_away', phase: 'start', startMs: START_MS + 4000 }),
    ]);
    expect(window.openConditions()).toEqual(['looking_away']);
    expect(window.finish(START_MS + 10_000)).toEqual([
      expect.objectContaining({ kind: 'looking_away', phase: 'end' }),
    ]);
  });

  it.each([
    { cameraDelivering: true, framesOffered: 10, qualityIssue: 'analysis_gap' },
    { cameraDelivering: false, framesOffered: 0, qualityIssue: 'no_frames' },
  ])(
    'a second without any frame is $qualityIssue when the camera delivering is $cameraDelivering',
    ({ cameraDelivering, framesOffered, qualityIssue }) => {
      const window = createSampleWindow({
        policy: DEFAULT_POLICY,
        newEventId: newIds(),
        startMs: START_MS,
      });
      const [sample] = window.closeUpTo(START_MS + 1000, { cameraDelivering });
      expect(sample).toMatchObject({ framesOffered, framesAnalysed: 0, coverage: 0, qualityIssue });
    },
  );

  it('counts frames dropped while busy as offered, not analysed', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    for (let t = START_MS; t < START_MS + 1000; t += 100) {
      window.offer(t);
      if ((t - START_MS) % 200 === 0) window.addFrame(frame(t));
    }
    expect(window.closeUpTo(START_MS + 1000, { cameraDelivering: true })[0]).toMatchObject({
      framesOffered: 10,
      framesAnalysed: 5,
      coverage: 0.5,
    });
  });

  it('after a long stall, summarises the oldest part as one window and the rest per second', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
      maxCatchUpWindows: 3,
    });
    const samples = window.closeUpTo(START_MS + 10_000, { cameraDelivering: true });
    expect(samples.map((s) => (s.windowEndMs - s.windowStartMs) / 1000)).toEqual([7, 1, 1, 1]);
    expect(samples.at(-1)?.windowEndMs).toBe(START_MS + 10_000);
  });

  it('recalibrates on request, keeping the previous baseline meanwhile', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    feed(window, START_MS, START_MS + 4000);
    window.recalibrate(START_MS + 4000);
    expect(window.calibration(START_MS + 5000)).toMatchObject({ active: true, calibrated: true });
    const turned: HeadPose = { yawDeg: 15, pitchDeg: -3, rollDeg: 0 };
    feed(window, START_MS + 4000, START_MS + 7500, (t) => frame(t, 1, turned));
    expect(window.calibration(START_MS + 7500)).toMatchObject({ active: false });
    expect(window.baseline()?.pose.yawDeg).toBeCloseTo(15);
  });

  it('a calibration taken while thinking aside is corrected by where the candidate then looks', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    // Calibrated with the head 12° to one side (a plausible, still pose: accepted).
    const aside: HeadPose = { yawDeg: -7, pitchDeg: -3, rollDeg: 0 };
    feed(window, START_MS, START_MS + 3500, (t) => frame(t, 1, aside));
    expect(window.baseline()?.pose.yawDeg).toBeCloseTo(-7);
    // Then 40 s at the screen (yaw 5).
    feed(window, START_MS + 3500, START_MS + 43_500);
    expect(window.baseline()?.pose.yawDeg).toBeCloseTo(5);
    // A 3 s thinking turn of 24° to the other side: on screen from the true rest (19° < 28°),
    // a look-away against the skewed calibration (31°).
    const thinking: HeadPose = { yawDeg: 24, pitchDeg: -3, rollDeg: 0 };
    const emissions = feed(window, START_MS + 43_500, START_MS + 46_500, (t) =>
      frame(t, 1, thinking),
    );
    emissions.push(...feed(window, START_MS + 46_500, START_MS + 50_000));
    expect(emissions.filter((e) => e.kind === 'looking_away')).toEqual([]);
  });
});

describe('sample window: reading', () => {
  /** Gaze of someone reading 5 lines of 12° from 4 s on: 2.5 s per line, 10 fixations each. */
  function readingGaze(t: number): number {
    const s = (t - START_MS) / 1000;
    if (s < 4 || s >= 16.5) return 0;
    const inLine = (s - 4) % 2.5;
    return 8 - Math.floor(inLine / 0.25) * 1.3;
  }

  it('reports a reading event (start, then end with lines and rate) from the frames', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    const emissions = feed(window, START_MS, START_MS + 25_000, (t) => {
      const f = frame(t);
      return f.main === null
        ? f
        : { ...f, main: { ...f.main, gaze: { horizontalDeg: readingGaze(t), verticalDeg: 0 } } };
    });
    const reading = emissions.filter((e) => e.kind === 'reading');
    expect(reading.map((e) => e.phase)).toEqual(['start', 'end']);
    const end = reading[1];
    expect(Math.abs((end?.startMs ?? 0) - (START_MS + 4000))).toBeLessThan(1000);
    expect(Math.abs((end?.endMs ?? 0) - (START_MS + 16_500))).toBeLessThan(1500);
    expect(end?.details.lines).toBe(5);
    expect(end?.details.analysedFps).toBeCloseTo(10, 0);
  });

  it('keeps steady eyes free of reading events', () => {
    const window = createSampleWindow({
      policy: DEFAULT_POLICY,
      newEventId: newIds(),
      startMs: START_MS,
    });
    const emissions = feed(window, START_MS, START_MS + 25_000);
    expect(emissions.filter((e) => e.kind === 'reading')).toEqual([]);
  });
});
