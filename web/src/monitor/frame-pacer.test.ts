import { describe, expect, it } from 'vitest';
import { createFramePacer } from './frame-pacer';

/** How many frames of a camera at `cameraFps` the pacer takes over `seconds`. */
function taken(
  targetFps: number | 'unlimited',
  cameraFps: number,
  seconds: number,
  jitterMs = 0,
): number {
  const pacer = createFramePacer(targetFps);
  let count = 0;
  const frames = Math.round(cameraFps * seconds);
  for (let i = 0; i < frames; i += 1) {
    const jitter = jitterMs === 0 ? 0 : (i % 2 === 0 ? 1 : -1) * jitterMs;
    if (pacer.take((i * 1000) / cameraFps + jitter)) count += 1;
  }
  return count;
}

describe('frame pacer', () => {
  it.each([
    { targetFps: 10, cameraFps: 15, expected: 100 },
    { targetFps: 10, cameraFps: 30, expected: 100 },
    { targetFps: 10, cameraFps: 60, expected: 100 },
    { targetFps: 10, cameraFps: 10, expected: 100 },
    { targetFps: 5, cameraFps: 30, expected: 50 },
    { targetFps: 10, cameraFps: 5, expected: 50 },
  ])(
    'takes about $expected frames in 10 s at $targetFps/s from a $cameraFps fps camera',
    ({ targetFps, cameraFps, expected }) => {
      const count = taken(targetFps, cameraFps, 10);
      expect(Math.abs(count - expected)).toBeLessThanOrEqual(1);
    },
  );

  it('is not halved by jitter when the camera runs at exactly the target rate', () => {
    expect(taken(10, 10, 10, 4)).toBeGreaterThanOrEqual(99);
  });

  it('takes every frame when unlimited', () => {
    expect(taken('unlimited', 30, 2)).toBe(60);
  });

  it('restarts after a pause instead of bursting to catch up', () => {
    const pacer = createFramePacer(10);
    expect(pacer.take(0)).toBe(true);
    // Five seconds without frames (hidden page), then a 30 fps camera again.
    const afterPause = [5000, 5033, 5066, 5100, 5133].map((t) => pacer.take(t));
    expect(afterPause).toEqual([true, false, false, true, false]);
  });

  it('rejects a non-positive rate', () => {
    expect(() => createFramePacer(0)).toThrow(RangeError);
  });
});
