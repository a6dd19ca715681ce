import { describe, expect, test } from 'vitest';
import { bestContentOffset } from './content-check';

/** A file whose brightness changes (a cover at frames 90-135) with a little frame-to-frame noise. */
const file = Array.from(
  { length: 300 },
  (_, k) => (k >= 90 && k < 135 ? 20 : 120) + Math.sin(k * 1.7) * 2,
);

describe('content check', () => {
  test('finds how far the clock is off, in frames', () => {
    const index = Array.from({ length: 250 }, (_, i) => i + 10);
    // The probe really saw file frame index + 3; its thumbnails are 5 levels brighter.
    const probed = index.map((k) => (file[k + 3] as number) + 5);
    expect(bestContentOffset(probed, index, file)).toMatchObject({ offsetFrames: 3, clear: true });
  });

  test('a flat picture gives no clear answer; unreadable thumbnails are skipped', () => {
    const flat = Array.from({ length: 300 }, () => 100);
    const index = Array.from({ length: 200 }, (_, i) => i);
    const probed = index.map((k) => (k % 7 === 0 ? -1 : 100));
    expect(bestContentOffset(probed, index, flat)?.clear).toBe(false);
    expect(bestContentOffset([], [], file)).toBeNull();
  });
});
