import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import { mulberry32, randomInt } from '../scoring/seeded-random';
import type { FrameVerdict } from '../tracking/frame-features';
import { createConditionDetector, type DetectorEmission } from './condition-detector';

/**
 * The detector on camera streams shaped like MediaPipe's real output: faces lost in short runs
 * (about 12 % of frames beyond 45° of turn, runs of up to 6 frames), angles that hover at a limit,
 * a hand over the lens, a dim room. Times are seconds of a scripted clip.
 */
const T0 = 1_800_000_000_000;
const { maxYawDeg, maxGazeDeg } = DEFAULT_POLICY.tracking;

interface Scene {
  /** Faces in the picture (before dropouts). */
  faces: number;
  yawDeg?: number;
  pitchDeg?: number;
  gazeDeg?: number;
  luminance?: number;
  sharpness?: number;
}

function verdict(tMs: number, scene: Scene, lost: boolean): FrameVerdict {
  const faceCount = lost ? 0 : scene.faces;
  const luminance = scene.luminance ?? 110;
  const sharpness = scene.sharpness ?? 900;
  const dark = luminance < DEFAULT_POLICY.tracking.minLuminance;
  const qualityIssue = dark ? 'dark' : 'none';
  const relative =
    faceCount === 1
      ? { yawDeg: scene.yawDeg ?? 0, pitchDeg: scene.pitchDeg ?? 0, gazeDeg: scene.gazeDeg ?? 0 }
      : null;
  const awayRatio =
    relative === null
      ? null
      : Math.max(
          Math.abs(relative.yawDeg) / maxYawDeg,
          Math.abs(relative.pitchDeg) / DEFAULT_POLICY.tracking.maxPitchDeg,
          Math.abs(relative.gazeDeg) / maxGazeDeg,
        );
  return {
    timestampMs: tMs,
    faceCount,
    usable: faceCount > 0 || !dark,
    qualityIssue,
    onScreen: awayRatio === null ? null : awayRatio <= 1,
    awayRatio,
    relative,
    luminance,
    sharpness,
  };
}

/**
 * Runs a script of [untilS, scene] at `fps`, losing about `lossShare` of the frames in which a
 * face is shown, in runs of 1..maxRun frames.
 */
function run(
  scriptOf: readonly (readonly [number, Scene])[],
  options: { fps: number; seed: number; lossShare?: number; maxRun?: number },
): DetectorEmission[] {
  const { fps, seed, lossShare = 0, maxRun = 6 } = options;
  const random = mulberry32(seed);
  let n = 0;
  const detector = createConditionDetector(DEFAULT_POLICY, () => `ev-${String((n += 1))}`);
  const out: DetectorEmission[] = [];
  const frameMs = 1000 / fps;
  let lostLeft = 0;
  let justLost = false;
  // Mean run (1 + maxRun) / 2: start a run with the probability that loses lossShare overall.
  const startChance = lossShare / ((1 + maxRun) / 2) / (1 - lossShare);
  const endS = scriptOf[scriptOf.length - 1]?.[0] ?? 0;
  for (let i = 0; i * frameMs < endS * 1000; i += 1) {
    const tS = (i * frameMs) / 1000;
    const scene = scriptOf.find(([untilS]) => tS < untilS)?.[1] ?? { faces: 1 };
    // A run of at most maxRun frames: the next one can begin only after a frame with the face.
    if (lostLeft === 0 && !justLost && scene.faces > 0 && random() < startChance) {
      lostLeft = randomInt(random, 1, maxRun);
    }
    const lost = lostLeft > 0 && scene.faces > 0;
    if (lostLeft > 0) lostLeft -= 1;
    justLost = lost;
    out.push(...detector.step(verdict(T0 + Math.round(i * frameMs), scene, lost)));
  }
  out.push(...detector.flush(T0 + endS * 1000));
  return out;
}

const seconds = (ms: number | null): number | null => (ms === null ? null : (ms - T0) / 1000);

function intervals(emissions: readonly DetectorEmission[], kind: string): [number, number][] {
  return emissions
    .filter((e) => e.kind === kind && e.phase === 'end')
    .map((e) => [seconds(e.startMs) ?? 0, seconds(e.endMs) ?? 0]);
}

const FACING: Scene = { faces: 1 };
const SEEDS = Array.from({ length: 40 }, (_, i) => 100 + i);

describe.each([10, 15])('at %i frames/s with 12 %% of faces lost in runs of up to 6', (fps) => {
  test('a head turned 50° for 7 s is one look-away with its true edges', () => {
    for (const seed of SEEDS) {
      const emissions = run(
        [
          [5, FACING],
          [12, { faces: 1, yawDeg: 50 }],
          [20, FACING],
        ],
        { fps, seed, lossShare: 0.12 },
      );
      const found = intervals(emissions, 'looking_away');
      expect(found, `seed ${String(seed)}`).toHaveLength(1);
      const [start, end] = found[0] ?? [0, 0];
      expect(Math.abs(start - 5), `seed ${String(seed)} onset`).toBeLessThanOrEqual(0.5);
      expect(Math.abs(end - 12), `seed ${String(seed)} end`).toBeLessThanOrEqual(0.5);
      expect(intervals(emissions, 'no_face'), `seed ${String(seed)}`).toEqual([]);
    }
  });

  test('a head pitched 35° down (reading notes) for 7 s is one look-away', () => {
    for (const seed of SEEDS) {
      const emissions = run(
        [
          [5, FACING],
          [12, { faces: 1, pitchDeg: -35 }],
          [20, FACING],
        ],
        { fps, seed, lossShare: 0.12 },
      );
      expect(intervals(emissions, 'looking_away'), `seed ${String(seed)}`).toHaveLength(1);
    }
  });

  test('an honest candidate with the same dropouts raises nothing', () => {
    for (const seed of SEEDS) {
      const emissions = run([[60, FACING]], { fps, seed, lossShare: 0.12 });
      expect(emissions, `seed ${String(seed)}`).toEqual([]);
    }
  });

  test('glances of up to 1.5 s never flag, even with dropouts inside and around them', () => {
    for (const seed of SEEDS) {
      const script: [number, Scene][] = [];
      for (let k = 0; k < 8; k += 1) {
        script.push([k * 5 + 3, FACING], [k * 5 + 4.5, { faces: 1, yawDeg: k % 2 ? 40 : -40 }]);
      }
      script.push([45, FACING]);
      const emissions = run(script, { fps, seed, lossShare: 0.12 });
      expect(emissions, `seed ${String(seed)}`).toEqual([]);
    }
  });

  test('a second person for 3 s is one multiple_faces with its true edges', () => {
    for (const seed of SEEDS) {
      const emissions = run(
        [
          [4, FACING],
          [7, { faces: 2 }],
          [12, FACING],
        ],
        { fps, seed, lossShare: 0.12 },
      );
      const found = intervals(emissions, 'multiple_faces');
      expect(found, `seed ${String(seed)}`).toHaveLength(1);
      // The first frames of the second person may be lost: onset within one dropout run.
      expect(Math.abs((found[0]?.[0] ?? 0) - 4)).toBeLessThanOrEqual(0.7);
      expect(Math.abs((found[0]?.[1] ?? 0) - 7)).toBeLessThanOrEqual(0.7);
    }
  });
});

describe('hysteresis on gaze', () => {
  test('eyes hovering just around the limit after crossing it stay one look-away', () => {
    // MediaPipe reads a 30° glance as 20-22° and dips a frame under the 15° limit now and then.
    const script: [number, Scene][] = [[3, FACING]];
    for (let k = 0; k < 40; k += 1) {
      const gaze = k % 7 === 3 ? maxGazeDeg - 1 : maxGazeDeg + 4;
      script.push([3 + (k + 1) * 0.1, { faces: 1, gazeDeg: gaze }]);
    }
    script.push([10, FACING]);
    const found = intervals(run(script, { fps: 10, seed: 1 }), 'looking_away');
    expect(found).toHaveLength(1);
    expect(found[0]?.[0]).toBeCloseTo(3, 1);
    expect(found[0]?.[1]).toBeCloseTo(7, 1);
  });

  test('eyes that never cross the limit never start one, however long they stay near it', () => {
    const emissions = run(
      [
        [3, FACING],
        [20, { faces: 1, gazeDeg: maxGazeDeg - 0.5, yawDeg: maxYawDeg - 1 }],
      ],
      { fps: 10, seed: 1 },
    );
    expect(emissions).toEqual([]);
  });
});

describe('evidence in the details', () => {
  test('a look-away reports its peak yaw, pitch and gaze', () => {
    const emissions = run(
      [
        [3, FACING],
        [6, { faces: 1, yawDeg: -42, pitchDeg: 6, gazeDeg: -3 }],
        [7, { faces: 1, yawDeg: -47, pitchDeg: 4, gazeDeg: 2 }],
        [10, FACING],
      ],
      { fps: 10, seed: 1 },
    );
    const end = emissions.find((e) => e.kind === 'looking_away' && e.phase === 'end');
    expect(end?.details).toMatchObject({ peakYawDeg: -47, peakPitchDeg: 6, peakGazeDeg: -3 });
  });

  test('multiple_faces reports the most faces counted', () => {
    const emissions = run(
      [
        [2, FACING],
        [3, { faces: 2 }],
        [4, { faces: 3 }],
        [6, FACING],
      ],
      { fps: 10, seed: 1 },
    );
    expect(emissions.find((e) => e.kind === 'multiple_faces')?.details.maxFaceCount).toBe(2);
    expect(
      emissions.find((e) => e.kind === 'multiple_faces' && e.phase === 'end')?.details.maxFaceCount,
    ).toBe(3);
  });
});

describe('a covered camera', () => {
  const COVER: Scene = { faces: 0, luminance: 12, sharpness: 40 };

  test('a hand over the lens for 5 s is camera_covered with its edges and luminance drop', () => {
    const emissions = run(
      [
        [5, FACING],
        [10, COVER],
        [15, FACING],
      ],
      { fps: 10, seed: 1 },
    );
    expect(intervals(emissions, 'camera_covered')).toEqual([[5, 10]]);
    expect(intervals(emissions, 'no_face')).toEqual([]);
    expect(intervals(emissions, 'poor_quality')).toEqual([]);
    const end = emissions.find((e) => e.kind === 'camera_covered' && e.phase === 'end');
    expect(end?.details).toMatchObject({ luminanceBefore: 110, luminanceMin: 12 });
    expect(end?.details.luminanceDrop).toBeCloseTo(0.89, 2);
  });

  test('a cover shorter than cameraCoveredMinMs raises nothing', () => {
    const emissions = run(
      [
        [5, FACING],
        [5.7, COVER],
        [10, FACING],
      ],
      { fps: 10, seed: 1 },
    );
    expect(emissions).toEqual([]);
  });

  test('a room that dims slowly with the face still found is measured, never covered', () => {
    const script: [number, Scene][] = [];
    for (let k = 0; k < 60; k += 1) {
      script.push([(k + 1) * 0.5, { faces: 1, luminance: 110 - k * 1.6, sharpness: 900 - k * 12 }]);
    }
    const emissions = run(script, { fps: 10, seed: 3, lossShare: 0.02, maxRun: 1 });
    expect(emissions).toEqual([]);
  });

  test('a lamp going off with the face still found is not a cover', () => {
    const emissions = run(
      [
        [5, FACING],
        [20, { faces: 1, luminance: 30, sharpness: 200 }],
      ],
      { fps: 10, seed: 2, lossShare: 0.02, maxRun: 1 },
    );
    expect(emissions).toEqual([]);
  });

  test('leaving the picture is no_face, not a cover', () => {
    const emissions = run(
      [
        [5, FACING],
        [10, { faces: 0, luminance: 108, sharpness: 700 }],
        [15, FACING],
      ],
      { fps: 10, seed: 1 },
    );
    expect(intervals(emissions, 'no_face')).toEqual([[5, 10]]);
    expect(intervals(emissions, 'camera_covered')).toEqual([]);
  });
});
