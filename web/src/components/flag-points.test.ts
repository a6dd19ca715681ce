import { describe, expect, test } from 'vitest';
import type { Flag } from '../../../shared/detection/flag';
import { DEFAULT_POLICY } from '../../../shared/policy/policy';
import { computeScore } from '../../../shared/scoring/score-engine';
import { flagPoints, formatFlagPoints } from './flag-points';

const T0 = 1_700_000_000_000;
function flag(
  id: string,
  kind: Flag['kind'],
  startS: number,
  durationS: number,
  review: Flag['review'] = 'pending',
): Flag {
  return {
    flagId: id,
    kind,
    category: kind === 'microphone_muted' ? 'measurement' : 'integrity',
    startMs: T0 + startS * 1000,
    endMs: T0 + (startS + durationS) * 1000,
    durationMs: durationS * 1000,
    details: {},
    review,
  };
}

describe('flagPoints', () => {
  test('the engine’s per-flag points, ordered as the flags cost', () => {
    const flags = [
      flag('p1', 'paste', 10, 0),
      flag('p2', 'paste', 20, 0),
      flag('p3', 'paste', 30, 0),
      flag('p4', 'paste', 40, 0),
      flag('h1', 'page_hidden', 50, 30),
      flag('h2', 'page_hidden', 100, 5),
      flag('d1', 'copy', 60, 0, 'dismissed'),
      flag('m1', 'microphone_muted', 70, 20),
    ];
    const score = computeScore({
      samples: [],
      flags,
      speakers: [],
      startMs: T0,
      atMs: T0 + 200_000,
      policy: DEFAULT_POLICY,
    });
    const points = flagPoints(score.flagPoints);
    expect(points.size).toBeGreaterThan(0);
    for (const [id, value] of points) {
      expect(value, id).toBeLessThanOrEqual(0);
      expect(value, id).toBe(score.flagPoints?.[id]);
    }
    // Every paste costs something; the longer hidden tab costs more than the shorter one.
    for (const id of ['p1', 'p2', 'p3', 'p4']) expect(points.get(id), id).toBeLessThan(0);
    expect(points.get('h1')).toBeLessThan(points.get('h2') ?? 0);
    // Dismissed and measurement flags cost nothing.
    expect(points.get('d1') ?? 0).toBe(0);
    expect(points.get('m1') ?? 0).toBe(0);
  });

  test('a camera off within its grace costs nothing', () => {
    const flags = [flag('c1', 'camera_muted', 10, 5)];
    const score = computeScore({
      samples: [],
      flags,
      speakers: [],
      startMs: T0,
      atMs: T0 + 60_000,
      policy: DEFAULT_POLICY,
    });
    expect(flagPoints(score.flagPoints).get('c1') ?? 0).toBe(0);
  });

  test.each([
    [-3.24, '−3.2'],
    [-0.04, '0'],
    [0, '0'],
    [-12, '−12.0'],
  ])('%f prints as %s', (value, text) => {
    expect(formatFlagPoints(value)).toBe(text);
  });
});
