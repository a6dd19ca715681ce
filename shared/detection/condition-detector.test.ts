import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../policy/policy';
import { EventDetailsSchema, IntegrityEventSchema } from '../protocol/integrity-event';
import type { FrameVerdict } from '../tracking/frame-features';
import { mulberry32, randomInt, randomPick } from '../scoring/seeded-random';
import {
  CONDITION_KINDS,
  createConditionDetector,
  type ConditionDetector,
  type ConditionKind,
  type DetectorEmission,
} from './condition-detector';

const T0 = 1_700_000_000_000;
/** 10 fps, the policy's target analysis rate. */
const FRAME_MS = 100;
const {
  endGraceMs,
  lookingAwayMinMs,
  noFaceMinMs,
  multipleFacesMinMs,
  poorQualityMinMs,
  cameraCoveredMinMs,
} = DEFAULT_POLICY.detection;

type Look = Omit<FrameVerdict, 'timestampMs'>;
const ATTENTIVE: Look = { faceCount: 1, usable: true, qualityIssue: 'none', onScreen: true };
const AWAY: Look = { ...ATTENTIVE, onScreen: false };
const NO_FACE: Look = { faceCount: 0, usable: true, qualityIssue: 'none', onScreen: null };
const TWO_FACES: Look = { faceCount: 2, usable: true, qualityIssue: 'none', onScreen: null };
const THREE_FACES: Look = { ...TWO_FACES, faceCount: 3 };
/** Darkness: the tracker finds no face because it cannot see, not because nobody is there. */
const DARK: Look = { faceCount: 0, usable: false, qualityIssue: 'dark', onScreen: null };
const BLURRED: Look = { faceCount: 1, usable: false, qualityIssue: 'blur', onScreen: null };
/** A hand over the lens: dark and featureless, no face. */
const COVERED: Look = {
  faceCount: 0,
  usable: false,
  qualityIssue: 'covered',
  onScreen: null,
  luminance: 4,
  sharpness: 1,
};

/** The look that shows each condition, and its debounce. */
const SHOWS: Readonly<Record<ConditionKind, { look: Look; minMs: number }>> = {
  no_face: { look: NO_FACE, minMs: noFaceMinMs },
  multiple_faces: { look: TWO_FACES, minMs: multipleFacesMinMs },
  looking_away: { look: AWAY, minMs: lookingAwayMinMs },
  camera_covered: { look: COVERED, minMs: cameraCoveredMinMs },
  poor_quality: { look: DARK, minMs: poorQualityMinMs },
};

interface Stamped extends DetectorEmission {
  /** Frame (or flush) time at which the detector emitted it. */
  emittedAtMs: number;
}

/** A scripted camera: append frames, collect every emission with the time it was emitted. */
function script(policy: Policy = DEFAULT_POLICY) {
  let n = 0;
  const detector: ConditionDetector = createConditionDetector(policy, () => {
    n += 1;
    return `evt-${String(n).padStart(4, '0')}`;
  });
  const emitted: Stamped[] = [];
  let nextMs = T0;
  const api = {
    detector,
    emitted,
    /** Frames every FRAME_MS from the current time until (excluding) T0 + untilOffsetMs. */
    hold(look: Look, untilOffsetMs: number) {
      while (nextMs < T0 + untilOffsetMs) api.frame(look, nextMs - T0);
      return api;
    },
    /** One frame at T0 + offsetMs. */
    frame(look: Look, offsetMs: number) {
      for (const e of detector.step({ ...look, timestampMs: T0 + offsetMs })) {
        emitted.push({ ...e, emittedAtMs: T0 + offsetMs });
      }
      nextMs = Math.max(nextMs, T0 + offsetMs + FRAME_MS);
      return api;
    },
    flush(offsetMs: number) {
      for (const e of detector.flush(T0 + offsetMs))
        emitted.push({ ...e, emittedAtMs: T0 + offsetMs });
      return api;
    },
    of(kind: ConditionKind) {
      return emitted.filter((e) => e.kind === kind);
    },
  };
  return api;
}

describe('debounced start', () => {
  test.each(CONDITION_KINDS.map((kind) => [kind]))(
    '%s lasting 1 ms less than its minimum emits nothing, even after flush',
    (kind) => {
      const { look, minMs } = SHOWS[kind];
      // Frames every 100 ms, then one at minMs - 2: the condition is gone at minMs - 1.
      const s = script()
        .hold(look, minMs - 100)
        .frame(look, minMs - 2)
        .frame(ATTENTIVE, minMs - 1);
      s.hold(ATTENTIVE, minMs + 20_000).flush(minMs + 20_000);
      expect(s.emitted).toEqual([]);
    },
  );

  test.each(CONDITION_KINDS.map((kind) => [kind]))(
    '%s still showing at its minimum starts, dated from when it began',
    (kind) => {
      const { look, minMs } = SHOWS[kind];
      const s = script()
        .hold(ATTENTIVE, 1000)
        .hold(look, 1000 + minMs + FRAME_MS);
      expect(s.emitted).toEqual([
        expect.objectContaining({
          kind,
          phase: 'start',
          startMs: T0 + 1000,
          endMs: null,
          durationMs: null,
          emittedAtMs: T0 + 1000 + minMs,
        }),
      ]);
    },
  );

  test('a brief glance (up to 1.5 s) never emits, however often it repeats', () => {
    const s = script();
    for (let k = 0; k < 20; k += 1) {
      s.hold(AWAY, k * 5000 + 1500).hold(ATTENTIVE, (k + 1) * 5000);
    }
    expect(s.emitted).toEqual([]);
  });

  test('one attentive frame does not restart a look-away: short interruptions are bridged', () => {
    const s = script().hold(AWAY, 1000).frame(ATTENTIVE, 1000).hold(AWAY, 2500);
    expect(s.of('looking_away')).toEqual([
      expect.objectContaining({ phase: 'start', startMs: T0, emittedAtMs: T0 + lookingAwayMinMs }),
    ]);
  });

  test('an interruption of dropoutBridgeMs restarts the count', () => {
    const { dropoutBridgeMs } = DEFAULT_POLICY.detection;
    const s = script()
      .hold(AWAY, 1500)
      .hold(ATTENTIVE, 1500 + dropoutBridgeMs + FRAME_MS)
      .hold(AWAY, 3000 + dropoutBridgeMs)
      .hold(ATTENTIVE, 6000);
    expect(s.emitted).toEqual([]);
  });
});

describe('looking away', () => {
  test('a long look-away emits start then end with when it began and when it stopped', () => {
    const s = script().hold(ATTENTIVE, 2000).hold(AWAY, 14_000).hold(ATTENTIVE, 20_000);
    const startFrames = lookingAwayMinMs / FRAME_MS + 1;
    expect(s.emitted).toEqual([
      {
        eventId: 'evt-0001',
        kind: 'looking_away',
        phase: 'start',
        startMs: T0 + 2000,
        endMs: null,
        durationMs: null,
        details: expect.objectContaining({
          frames: startFrames,
          bridgedFrames: 0,
          maxFaceCount: 1,
          minMs: lookingAwayMinMs,
        }) as unknown,
        emittedAtMs: T0 + 2000 + lookingAwayMinMs,
      },
      {
        eventId: 'evt-0001',
        kind: 'looking_away',
        phase: 'end',
        startMs: T0 + 2000,
        endMs: T0 + 14_000,
        durationMs: 12_000,
        details: expect.objectContaining({ frames: 120, maxFaceCount: 1 }) as unknown,
        emittedAtMs: T0 + 14_000 + endGraceMs,
      },
    ]);
  });

  test('a flicker back to the screen shorter than endGraceMs does not split the event', () => {
    const s = script()
      .hold(AWAY, 8000)
      .hold(ATTENTIVE, 8000 + endGraceMs - FRAME_MS) // 900 ms on screen
      .hold(AWAY, 15_000)
      .hold(ATTENTIVE, 20_000);
    expect(
      s.emitted.map((e) => [e.phase, e.startMs - T0, e.endMs === null ? null : e.endMs - T0]),
    ).toEqual([
      ['start', 0, null],
      ['end', 0, 15_000],
    ]);
  });

  test('an absence of endGraceMs ends the event at the moment it stopped', () => {
    const s = script()
      .hold(AWAY, 8000)
      .hold(ATTENTIVE, 8000 + endGraceMs + FRAME_MS)
      .hold(AWAY, 16_000);
    expect(s.of('looking_away').map((e) => [e.phase, e.eventId, e.startMs - T0, e.endMs])).toEqual([
      ['start', 'evt-0001', 0, null],
      ['end', 'evt-0001', 0, T0 + 8000],
      ['start', 'evt-0002', 8000 + endGraceMs + FRAME_MS, null],
    ]);
  });

  test('a face lost during a turn continues the look-away; lost for long, it is an absence', () => {
    const { lostFaceAfterTurnMs } = DEFAULT_POLICY.detection;
    const s = script()
      .hold(AWAY, 2500)
      .hold(NO_FACE, 2500 + lostFaceAfterTurnMs + 3000);
    expect(
      s.emitted.map((e) => [
        e.kind,
        e.phase,
        e.startMs - T0,
        e.endMs === null ? null : e.endMs - T0,
      ]),
    ).toEqual([
      ['looking_away', 'start', 0, null],
      ['looking_away', 'end', 0, 2500],
      ['no_face', 'start', 2500, null],
    ]);
  });

  test('a face lost for a moment mid-turn never splits the look-away nor reads as no_face', () => {
    const s = script().hold(AWAY, 1000).hold(NO_FACE, 2400).hold(AWAY, 5000).hold(ATTENTIVE, 7000);
    expect(
      s.emitted.map((e) => [e.kind, e.phase, e.startMs - T0, e.endMs && e.endMs - T0]),
    ).toEqual([
      ['looking_away', 'start', 0, null],
      ['looking_away', 'end', 0, 5000],
    ]);
  });
});

describe('faces', () => {
  test('several faces for multipleFacesMinMs start multiple_faces with the most faces seen', () => {
    const s = script()
      .hold(TWO_FACES, 500)
      .hold(THREE_FACES, 700)
      .hold(TWO_FACES, 4000)
      .hold(ATTENTIVE, 6000);
    expect(
      s.of('multiple_faces').map((e) => [e.phase, e.startMs - T0, e.details.maxFaceCount]),
    ).toEqual([
      ['start', 0, 3],
      ['end', 0, 3],
    ]);
    expect(s.of('multiple_faces')[1]?.durationMs).toBe(4000);
  });
});

describe('poor measurement is not absence', () => {
  test('no face in darkness is poor_quality, never no_face', () => {
    const s = script().hold(DARK, 20_000).hold(ATTENTIVE, 25_000);
    expect(
      s.emitted.map((e) => [
        e.kind,
        e.phase,
        e.startMs - T0,
        e.endMs === null ? null : e.endMs - T0,
      ]),
    ).toEqual([
      ['poor_quality', 'start', 0, null],
      ['poor_quality', 'end', 0, 20_000],
    ]);
    expect(s.emitted[0]?.details).toEqual({
      frames: 31,
      bridgedFrames: 0,
      maxFaceCount: 0,
      minMs: poorQualityMinMs,
      issue: 'dark',
    });
  });

  test('darkness interrupts a pending no_face: the two short runs never add up', () => {
    // 0.7 s without a face, 0.8 s dark, 0.7 s without a face: never 1 s measured in a row.
    const s = script()
      .hold(NO_FACE, 700)
      .hold(DARK, 1500)
      .hold(NO_FACE, 2200)
      .hold(ATTENTIVE, 4000);
    expect(s.of('no_face')).toEqual([]);
  });

  test('darkness ends an open no_face at the first dark frame', () => {
    const s = script().hold(NO_FACE, 5000).hold(DARK, 12_000);
    expect(
      s.emitted.map((e) => [
        e.kind,
        e.phase,
        e.startMs - T0,
        e.endMs === null ? null : e.endMs - T0,
      ]),
    ).toEqual([
      ['no_face', 'start', 0, null],
      ['no_face', 'end', 0, 5000],
      ['poor_quality', 'start', 5000, null],
    ]);
  });

  test('a short dark moment inside no_face does not split it', () => {
    const s = script()
      .hold(NO_FACE, 5000)
      .hold(DARK, 5500)
      .hold(NO_FACE, 9000)
      .hold(ATTENTIVE, 12_000);
    expect(s.of('no_face').map((e) => [e.phase, e.endMs === null ? null : e.endMs - T0])).toEqual([
      ['start', null],
      ['end', 9000],
    ]);
  });

  test('a blurred frame is no evidence of looking away', () => {
    const s = script().hold(BLURRED, 10_000);
    expect(s.of('looking_away')).toEqual([]);
    expect(s.of('poor_quality')[0]?.details.issue).toBe('blur');
  });

  test('the dominant issue names a mixed poor_quality event', () => {
    const s = script().hold(BLURRED, 1000).hold(DARK, 5000).hold(ATTENTIVE, 7000);
    expect(s.of('poor_quality').at(-1)?.details).toMatchObject({ issue: 'dark', frames: 50 });
  });
});

describe('flush and open conditions', () => {
  test('flush closes every open event at the given time and forgets pending runs', () => {
    const s = script().hold(AWAY, 6000);
    expect(s.detector.openConditions()).toEqual(['looking_away']);
    s.flush(6050);
    expect(
      s.emitted.map((e) => [e.phase, e.endMs === null ? null : e.endMs - T0, e.durationMs]),
    ).toEqual([
      ['start', null, null],
      ['end', 6050, 6050],
    ]);
    expect(s.detector.openConditions()).toEqual([]);
    expect(s.detector.flush(T0 + 7000)).toEqual([]);
  });

  test('flush during the end grace ends the event when it stopped', () => {
    const s = script().hold(AWAY, 6000).hold(ATTENTIVE, 6500).flush(6500);
    expect(s.emitted.at(-1)).toMatchObject({ phase: 'end', endMs: T0 + 6000 });
  });

  test('flush long after the last frame ends the event at its last evidence', () => {
    const s = script().hold(NO_FACE, 6000).flush(60_000);
    expect(s.emitted.at(-1)).toMatchObject({ phase: 'end', kind: 'no_face', endMs: T0 + 5900 });
  });

  test('a pending condition is not open and flush emits nothing for it', () => {
    const s = script().hold(AWAY, 1500);
    expect(s.detector.openConditions()).toEqual([]);
    expect(s.detector.flush(T0 + 1500)).toEqual([]);
  });

  test('open conditions stay listed through the end grace and in a fixed order', () => {
    const s = script().hold(NO_FACE, 4000).hold(DARK, 4500);
    expect(s.detector.openConditions()).toEqual(['no_face']);
    s.hold(DARK, 8000);
    expect(s.detector.openConditions()).toEqual(['poor_quality']);
  });

  test('the detector starts afresh after flush', () => {
    const s = script().hold(AWAY, 6000).flush(6000).hold(AWAY, 12_000);
    expect(s.emitted.map((e) => [e.phase, e.eventId, e.startMs - T0])).toEqual([
      ['start', 'evt-0001', 0],
      ['end', 'evt-0001', 0],
      ['start', 'evt-0002', 6000],
    ]);
  });
});

describe('time', () => {
  test('a gap in the frames ends open events at their last frame', () => {
    // The tab was hidden for 20 s and the tracker stopped: that is page_hidden, not looking away.
    const s = script().hold(AWAY, 6000).frame(ATTENTIVE, 26_000);
    expect(s.emitted.at(-1)).toMatchObject({
      phase: 'end',
      endMs: T0 + 5900,
      emittedAtMs: T0 + 26_000,
    });
  });

  test('a gap in the frames resets pending runs', () => {
    const s = script().hold(AWAY, 1500).frame(AWAY, 4000).hold(AWAY, 5500).hold(ATTENTIVE, 7000);
    expect(s.emitted).toEqual([]);
  });

  test('frames older than the newest one are ignored', () => {
    const s = script().hold(AWAY, 6000);
    expect(s.detector.step({ ...ATTENTIVE, timestampMs: T0 + 1000 })).toEqual([]);
    expect(s.detector.openConditions()).toEqual(['looking_away']);
  });

  test('zero minimum and zero grace emit on the first frame either way', () => {
    const policy: Policy = PolicySchema.parse({
      ...DEFAULT_POLICY,
      detection: { ...DEFAULT_POLICY.detection, lookingAwayMinMs: 0, endGraceMs: 0 },
    });
    const s = script(policy).frame(AWAY, 0).frame(ATTENTIVE, 100);
    expect(s.emitted.map((e) => [e.phase, e.emittedAtMs - T0, e.durationMs])).toEqual([
      ['start', 0, null],
      ['end', 100, 100],
    ]);
  });
});

describe('emissions over random camera streams', () => {
  const LOOKS = [ATTENTIVE, ATTENTIVE, AWAY, NO_FACE, TWO_FACES, THREE_FACES, DARK, BLURRED];

  test('are well-formed events: paired, ordered, at least their minimum long, valid on the wire', () => {
    for (let seed = 0; seed < 200; seed += 1) {
      const random = mulberry32(seed);
      const s = script();
      let tMs = 0;
      for (let segment = 0; segment < 60; segment += 1) {
        const look = randomPick(random, LOOKS);
        const untilMs = tMs + randomInt(random, 100, 9000);
        s.hold(look, untilMs);
        tMs = untilMs;
        if (random() < 0.05) tMs += randomInt(random, 2500, 30_000); // tracker pause
      }
      s.flush(tMs);
      const open = new Map<ConditionKind, Stamped>();
      for (const [seq, e] of s.emitted.entries()) {
        const wire = { type: 'integrity_event', v: 1, stream: 'stream-fuzz-01', seq, ...e };
        const { emittedAtMs: _, ...event } = wire;
        expect(IntegrityEventSchema.safeParse(event).success, `seed ${String(seed)}`).toBe(true);
        expect(EventDetailsSchema.safeParse(e.details).success).toBe(true);
        const started = open.get(e.kind);
        if (e.phase === 'start') {
          expect(started, `seed ${String(seed)}: ${e.kind} started twice`).toBeUndefined();
          expect(e.emittedAtMs - e.startMs).toBeGreaterThanOrEqual(SHOWS[e.kind].minMs);
          open.set(e.kind, e);
        } else {
          expect(started?.eventId, `seed ${String(seed)}: end without start`).toBe(e.eventId);
          expect(e.startMs).toBe(started?.startMs);
          expect(e.endMs).not.toBeNull();
          expect(e.durationMs).toBe((e.endMs ?? 0) - e.startMs);
          expect(e.durationMs ?? 0).toBeGreaterThanOrEqual(SHOWS[e.kind].minMs);
          open.delete(e.kind);
        }
      }
      expect(open.size, `seed ${String(seed)}: left open after flush`).toBe(0);
      expect(new Set(s.emitted.filter((e) => e.phase === 'start').map((e) => e.eventId)).size).toBe(
        s.emitted.filter((e) => e.phase === 'start').length,
      );
    }
  }, 60_000);
});
