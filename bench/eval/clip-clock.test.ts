import { describe, expect, test } from 'vitest';
import {
  buildClipClock,
  ClipClockError,
  probedFps,
  toClipSeconds,
  toEpochMs,
  type ProbedFrame,
} from './clip-clock';

const PERIOD_US = 1e6 / 15;

/** Frames of a 15 fps camera whose clip starts at epoch `t0`, as the probe would see them. */
function frames(indices: number[], t0 = 1_000_000, lagMs = 3, tsBase = 427_000_000): ProbedFrame[] {
  return indices.map((k) => ({
    epochMs: t0 + (k * 1000) / 15 + lagMs,
    timestampUs: tsBase + k * PERIOD_US,
  }));
}

describe('clip clock', () => {
  test('frame k of the stream is clip time k / fps', () => {
    const clock = buildClipClock(frames([0, 1, 2, 3, 4]), 15);
    expect(clock.frameIndex).toEqual([0, 1, 2, 3, 4]);
    expect(clock.missedFrames).toBe(0);
    expect(toClipSeconds(clock, 1_000_000 + 3)).toBeCloseTo(0, 6);
    expect(toClipSeconds(clock, 1_000_000 + 3 + 200)).toBeCloseTo(0.2, 6);
  });

  test('frames the probe missed still advance the clip, from the capture timestamps', () => {
    const clock = buildClipClock(frames([0, 1, 5, 6, 30]), 15);
    expect(clock.frameIndex).toEqual([0, 1, 5, 6, 30]);
    expect(clock.missedFrames).toBe(26);
    // An instant just after frame 30 arrived is 2 s into the clip.
    expect(toClipSeconds(clock, 1_000_000 + 2000 + 3 + 10)).toBeCloseTo(2.01, 6);
  });

  test('a late frame followed by a catch-up is not counted as a skipped frame', () => {
    // Frame 2 comes 40 ms late (0.6 of a period), frame 3 on time: frame-to-frame rounding would count 2 + 0.
    const probed = frames([0, 1, 2, 3, 4]);
    const late = probed[2] as ProbedFrame;
    late.timestampUs += 40_000;
    late.epochMs += 40;
    const clock = buildClipClock(probed, 15);
    expect(clock.frameIndex).toEqual([0, 1, 2, 3, 4]);
    expect(clock.missedFrames).toBe(0);
  });

  test('a repeated timestamp still moves one frame on', () => {
    const probed = frames([0, 1, 2]);
    (probed[2] as ProbedFrame).timestampUs = (probed[1] as ProbedFrame).timestampUs;
    expect(buildClipClock(probed, 15).frameIndex).toEqual([0, 1, 2]);
  });

  test('the reader lagging at the start does not shift later clip times', () => {
    // The first 10 frames are read together 500 ms late; later ones on time.
    const probed = frames(Array.from({ length: 40 }, (_, k) => k)).map((f, k) =>
      k < 10 ? { ...f, epochMs: 1_000_000 + 700 } : f,
    );
    const clock = buildClipClock(probed, 15);
    expect(toClipSeconds(clock, 1_000_000 + 2000 + 3)).toBeCloseTo(2, 6);
  });

  test('before the first frame the clip time is negative; toEpochMs inverts toClipSeconds', () => {
    const clock = buildClipClock(frames([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 15);
    expect(toClipSeconds(clock, 1_000_000 + 3 - 500)).toBeCloseTo(-0.5, 6);
    for (const s of [0, 0.1, 0.35, 0.6])
      expect(toClipSeconds(clock, toEpochMs(clock, s))).toBeCloseTo(s, 6);
  });

  test("with the track's frame counter: a stalled camera is not counted as skipped frames", () => {
    // Frames 0-9 on time, then the camera stalls 1 s and resumes with file frame 10.
    const probed = Array.from({ length: 20 }, (_, k) => {
      const stallUs = k >= 10 ? 1e6 : 0;
      return {
        epochMs: 1_000_000 + (k * 1000) / 15 + stallUs / 1000,
        timestampUs: k * PERIOD_US + stallUs,
        trackTotalFrames: k + 1,
      };
    });
    const clock = buildClipClock(probed, 15);
    expect(clock.source).toBe('track-counter');
    expect(clock.frameIndex).toEqual(probed.map((_, k) => k));
    expect(clock.missedFrames).toBe(0);
    // The timestamps alone would put frame 10 fifteen frames later.
    const withoutCounter = buildClipClock(
      probed.map(({ epochMs, timestampUs }) => ({ epochMs, timestampUs })),
      15,
    );
    expect(withoutCounter.source).toBe('timestamps');
    expect(withoutCounter.frameIndex[10]).toBe(25);
  });

  test("with the track's frame counter: frames the reader missed, and a backlog read late", () => {
    // The reader gets frames 0-4 at once, misses 5-9, then reads 10-14 from a backlog when the
    // counter already says 15 frames, then 15-19 on time.
    const read = [0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const probed = read.map((k) => ({
      epochMs: 1_000_000 + (Math.max(k, k >= 10 && k < 15 ? 14 : k) * 1000) / 15,
      timestampUs: k * PERIOD_US,
      trackTotalFrames: k >= 10 && k < 15 ? 15 : k + 1,
    }));
    const clock = buildClipClock(probed, 15);
    expect(clock.frameIndex).toEqual(read);
    expect(clock.missedFrames).toBe(5);
  });

  test('bad input is refused with a clear error', () => {
    expect(() => buildClipClock([], 15)).toThrow(ClipClockError);
    expect(() => buildClipClock(frames([0]), 0)).toThrow(/fps/);
    expect(() => buildClipClock([{ epochMs: Number.NaN, timestampUs: 0 }], 15)).toThrow(
      /non-finite/,
    );
  });

  test('frame rate the probe read, from the capture timestamps', () => {
    const slow = Array.from({ length: 450 }, (_, k) => ({
      epochMs: k * 66.84,
      timestampUs: k * 66_845,
    }));
    expect(probedFps(slow)).toBeCloseTo(14.96, 2);
    expect(probedFps([])).toBeNull();
  });
});
