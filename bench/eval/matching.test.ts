import { describe, expect, test } from 'vitest';
import {
  kindMetrics,
  matchClip,
  median,
  type DetectedInterval,
  type LabelledInterval,
} from './matching';

const label = (kind: LabelledInterval['kind'], startS: number, endS: number): LabelledInterval => ({
  kind,
  startS,
  endS,
});

let nextId = 0;
function detected(
  kind: DetectedInterval['kind'],
  startS: number,
  endS: number,
  extra: Partial<DetectedInterval> = {},
): DetectedInterval {
  nextId += 1;
  return {
    flagId: `flag-${nextId}`,
    productKind: kind,
    kind,
    startS,
    endS,
    open: false,
    receivedS: startS + 1,
    ...extra,
  };
}

describe('matching', () => {
  test('an overlapping detection of the same kind matches, with signed edge errors and delay', () => {
    const m = matchClip(
      [label('no_face', 6.133, 10.267)],
      [detected('no_face', 6.6, 11, { receivedS: 9.1 })],
    );
    const [first] = m.labels;
    expect(first?.detections).toHaveLength(1);
    expect(first?.onsetErrorS).toBeCloseTo(0.467, 6);
    expect(first?.endErrorS).toBeCloseTo(0.733, 6);
    expect(first?.delayS).toBeCloseTo(2.967, 6);
    expect(first?.onTime).toBe(true);
    expect(m.detections.every((d) => d.matched)).toBe(true);
  });

  test('another kind, or no overlap beyond the tolerance, does not match', () => {
    const m = matchClip(
      [label('looking_away', 5, 9)],
      [detected('no_face', 5, 9), detected('looking_away', 10.5, 12)],
    );
    expect(m.labels[0]?.detections).toHaveLength(0);
    expect(m.labels[0]?.onsetErrorS).toBeNull();
    expect(m.detections.map((d) => d.matched)).toEqual([false, false]);
  });

  test('a detection just outside the label matches within the tolerance', () => {
    const m = matchClip([label('looking_away', 5, 9)], [detected('looking_away', 9.5, 10)], 1);
    expect(m.labels[0]?.detections).toHaveLength(1);
    expect(m.labels[0]?.onsetErrorS).toBeCloseTo(4.5, 6);
    expect(m.labels[0]?.onTime).toBe(false);
  });

  test('a split flag: both parts match, onset from the first, end from the last', () => {
    const m = matchClip(
      [label('looking_away', 18, 27.267)],
      [detected('looking_away', 22, 27.5), detected('looking_away', 18.4, 21)],
    );
    expect(m.labels[0]?.detections.map((d) => d.startS)).toEqual([18.4, 22]);
    expect(m.labels[0]?.onsetErrorS).toBeCloseTo(0.4, 6);
    expect(m.labels[0]?.endErrorS).toBeCloseTo(0.233, 6);
  });

  test('one long flag over two labels belongs to the one it overlaps most', () => {
    const m = matchClip(
      [label('looking_away', 5.6, 8.867), label('looking_away', 19.133, 24.2)],
      [detected('looking_away', 8.87, 30)],
    );
    expect(m.labels[0]?.detections).toHaveLength(0);
    expect(m.labels[1]?.detections).toHaveLength(1);
    expect(m.labels[1]?.onsetErrorS).toBeCloseTo(8.87 - 19.133, 6);
  });

  test('on time uses the per-kind bounds', () => {
    const late = matchClip([label('no_face', 6, 9)], [detected('no_face', 7.2, 9)]);
    expect(late.labels[0]?.onTime).toBe(false);
    const readingLate = matchClip([label('reading', 5.5, 16)], [detected('reading', 7.2, 17.5)]);
    expect(readingLate.labels[0]?.onTime).toBe(true);
    // Identity: only the onset is judged (within 5 s).
    const identity = matchClip(
      [label('identity_changed', 12, 25.6)],
      [detected('identity_changed', 15.5, 22.6)],
    );
    expect(identity.labels[0]?.onTime).toBe(true);
  });
});

describe('metrics per kind', () => {
  test('precision, recall, medians and maxima over clips', () => {
    const clipA = matchClip(
      [label('no_face', 6, 10), label('no_face', 18, 27)],
      [detected('no_face', 6.5, 10.5, { receivedS: 9 }), detected('no_face', 30, 31)],
    );
    const clipB = matchClip(
      [label('no_face', 5, 8)],
      [detected('no_face', 4, 8.2, { receivedS: 6 }), detected('multiple_faces', 1, 3)],
    );
    const byKind = Object.fromEntries(kindMetrics([clipA, clipB]).map((m) => [m.kind, m]));
    const noFace = byKind['no_face'];
    expect(noFace?.labels).toBe(3);
    expect(noFace?.detections).toBe(3);
    expect(noFace?.truePositives).toBe(2);
    expect(noFace?.precision).toBeCloseTo(2 / 3, 6);
    expect(noFace?.recall).toBeCloseTo(2 / 3, 6);
    expect(noFace?.onsetErrorS?.median).toBeCloseTo(-0.25, 6);
    expect(noFace?.onsetErrorS?.maxAbs).toBeCloseTo(-1, 6);
    expect(noFace?.delayS?.median).toBeCloseTo(2, 6);
    expect(noFace?.delayS?.max).toBeCloseTo(3, 6);
    const multi = byKind['multiple_faces'];
    expect(multi?.precision).toBe(0);
    expect(multi?.recall).toBeNull();
    expect(byKind['reading']?.precision).toBeNull();
  });

  test('median', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
