import { describe, expect, test } from 'vitest';
import { expectedIntervals } from './expected';
import type { ClipLabels } from './labels';

const base: ClipLabels = {
  clip: 'x.mp4',
  duration_s: 36,
  fps: 15,
  intervals: [],
  expected_flags: [],
  events: [],
};

describe('expected intervals', () => {
  test('flags come straight from expected_flags', () => {
    const out = expectedIntervals({
      ...base,
      expected_flags: [
        { flag: 'reading', start: 21.533, end: 31.267 },
        { flag: 'no_face', start: 6.133, end: 10.267 },
      ],
    });
    expect(out).toEqual([
      { kind: 'no_face', startS: 6.133, endS: 10.267 },
      { kind: 'reading', startS: 21.533, endS: 31.267 },
    ]);
  });

  test('identity: from the swap until the enrolled person is back, across the empty chair', () => {
    const out = expectedIntervals({
      ...base,
      intervals: [
        { start: 0, end: 12, faces: 1, identity: 'a' },
        { start: 12, end: 22.533, faces: 1, identity: 'b' },
        { start: 22.533, end: 25.6, faces: 0, identity: null },
        { start: 25.6, end: 36, faces: 1, identity: 'a' },
      ],
      expected_flags: [{ flag: 'no_face', start: 22.533, end: 25.6 }],
      events: [
        { event: 'identity_change', at: 12, from: 'a', to: 'b' },
        { event: 'identity_change', at: 25.6, from: 'b', to: 'a' },
      ],
    });
    expect(out).toEqual([
      { kind: 'identity_changed', startS: 12, endS: 25.6 },
      { kind: 'no_face', startS: 22.533, endS: 25.6 },
    ]);
  });

  test('no identity interval without identity_change events; unknown kinds are an error', () => {
    expect(
      expectedIntervals({
        ...base,
        intervals: [
          { start: 0, end: 5, faces: 1, identity: 'a' },
          { start: 5, end: 9, faces: 2, identity: 'a' },
        ],
      }),
    ).toEqual([]);
    expect(() =>
      expectedIntervals({ ...base, expected_flags: [{ flag: 'smiling', start: 1, end: 2 }] }),
    ).toThrow(/unknown expected flag kind/);
  });
});
