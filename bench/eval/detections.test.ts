import { describe, expect, test } from 'vitest';
import type { Flag } from '../../shared/detection/flag';
import type { StoredEvent } from '../../shared/record/session-record';
import { buildClipClock } from './clip-clock';
import { clipDetections } from './detections';

const T0 = 1_800_000_000_000;
/** A clock whose clip time 0 is T0, 15 frames/s without a miss. */
const clock = buildClipClock(
  Array.from({ length: 600 }, (_, k) => ({
    epochMs: T0 + (k * 1000) / 15,
    timestampUs: (k * 1e6) / 15,
  })),
  15,
);
const at = (s: number): number => T0 + s * 1000;

function flag(id: string, kind: Flag['kind'], startS: number, endS: number | null): Flag {
  return {
    flagId: id,
    kind,
    category: kind === 'poor_quality' ? 'measurement' : 'integrity',
    startMs: at(startS),
    endMs: endS === null ? null : at(endS),
    durationMs: endS === null ? 0 : (endS - startS) * 1000,
    details: {},
    review: 'pending',
  };
}

function startReport(id: string, kind: StoredEvent['kind'], startS: number, receivedS: number) {
  return {
    type: 'integrity_event' as const,
    v: 1 as const,
    stream: 'stream-0001',
    seq: 1,
    eventId: id,
    kind,
    phase: 'start' as const,
    startMs: at(startS),
    endMs: null,
    durationMs: null,
    details: {},
    receivedAtMs: at(receivedS),
  };
}

describe('clip detections from a record', () => {
  test('maps kinds and times; leaves out measurement kinds and anything after the clip', () => {
    const record = {
      flags: [
        flag('cover-1', 'camera_covered', 6.5, 9.5),
        flag('quality-1', 'poor_quality', 6, 9),
        flag('away-1', 'looking_away', 20, null),
        flag('blur-1', 'window_blur', 2, 2.5),
        flag('late-1', 'no_face', 34.5, 36),
      ],
      events: [startReport('cover-1', 'camera_covered', 6.5, 8.25)],
    };
    const d = clipDetections(record, clock, 34);
    expect(d.scored.map((s) => [s.flagId, s.kind, s.productKind])).toEqual([
      ['cover-1', 'no_face', 'camera_covered'],
      ['away-1', 'looking_away', 'looking_away'],
    ]);
    const [cover, away] = d.scored;
    expect(cover?.startS).toBeCloseTo(6.5, 6);
    expect(cover?.endS).toBeCloseTo(9.5, 6);
    expect(cover?.receivedS).toBeCloseTo(8.25, 6);
    // Still open at completion: ends at the clip's end, marked open; no report, no delay.
    expect(away?.open).toBe(true);
    expect(away?.endS).toBe(34);
    expect(away?.receivedS).toBeNull();
    expect(d.other.map((o) => [o.flagId, o.kind])).toEqual([['blur-1', 'window_blur']]);
    expect(d.other[0]?.startS).toBeCloseTo(2, 6);
    expect(d.other[0]?.endS).toBeCloseTo(2.5, 6);
  });
});
