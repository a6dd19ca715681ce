import { describe, expect, test } from 'vitest';
import { EVENT_CATEGORY, EventKindSchema, type IntegrityEvent } from '../protocol/integrity-event';
import { mulberry32, randomInt, randomPick } from '../scoring/seeded-random';
import { FlagSchema, type Flag, type FlagReview } from './flag';
import { closeOpenFlags, mergeEventReports } from './flags';

const T0 = 1_700_000_000_000;
const NOW = T0 + 60_000;

function report(
  overrides: Partial<IntegrityEvent> & Pick<IntegrityEvent, 'phase'>,
): IntegrityEvent {
  const startMs = overrides.startMs ?? T0;
  const ended = overrides.phase === 'end';
  return {
    type: 'integrity_event',
    v: 1,
    stream: 'stream-cand-01',
    seq: 0,
    eventId: 'evt-0001',
    kind: 'looking_away',
    startMs,
    endMs: ended ? startMs + 7000 : null,
    durationMs: ended ? 7000 : null,
    details: {},
    ...overrides,
  };
}

const start = report({ phase: 'start', seq: 1, details: { frames: 50, maxFaceCount: 1 } });
const end = report({
  phase: 'end',
  seq: 2,
  endMs: T0 + 7000,
  durationMs: 7000,
  details: { frames: 70, maxFaceCount: 1 },
});

describe('mergeEventReports', () => {
  test.each([
    ['start then end', [start, end]],
    ['end then start (out of order)', [end, start]],
    ['duplicated reports', [start, end, start, end, end]],
  ])('merges %s into one finished flag', (_, events) => {
    expect(mergeEventReports(events, [], NOW)).toEqual([
      {
        flagId: 'evt-0001',
        kind: 'looking_away',
        category: 'integrity',
        startMs: T0,
        endMs: T0 + 7000,
        durationMs: 7000,
        details: { frames: 70, maxFaceCount: 1 },
        review: 'pending',
      },
    ]);
  });

  test('an end without its start is a complete flag', () => {
    expect(mergeEventReports([end], [], NOW)[0]).toMatchObject({
      startMs: T0,
      endMs: T0 + 7000,
      durationMs: 7000,
    });
  });

  test.each([
    [NOW, 60_000],
    [T0 + 1, 1],
    [T0 - 5000, 0], // a clock that has not reached the start yet
  ])('a start without an end is ongoing until now = %s: %s ms', (nowMs, durationMs) => {
    expect(mergeEventReports([start], [], nowMs)[0]).toMatchObject({ endMs: null, durationMs });
  });

  test('an instant lasts 0 ms and ends when it starts', () => {
    const paste = report({
      phase: 'instant',
      eventId: 'evt-paste',
      kind: 'paste',
      startMs: T0 + 5,
    });
    expect(mergeEventReports([paste], [], NOW)[0]).toMatchObject({
      kind: 'paste',
      startMs: T0 + 5,
      endMs: T0 + 5,
      durationMs: 0,
    });
  });

  test('the same report repeated under a new seq is idempotent', () => {
    const again = { ...end, seq: 9 };
    expect(mergeEventReports([start, end, again], [], NOW)).toEqual(
      mergeEventReports([start, end], [], NOW),
    );
  });

  test('a (stream, seq) already seen is dropped, the first copy wins', () => {
    const clash = { ...end, eventId: 'evt-other' };
    expect(mergeEventReports([start, end, clash], [], NOW).map((f) => f.flagId)).toEqual([
      'evt-0001',
    ]);
  });

  test('the same seq from another stream (a reloaded page) is a different report', () => {
    const reloaded = report({
      phase: 'instant',
      stream: 'stream-cand-02',
      seq: 1,
      eventId: 'evt-0002',
      kind: 'copy',
    });
    expect(mergeEventReports([start, reloaded], [], NOW)).toHaveLength(2);
  });

  test.each(EventKindSchema.options.map((kind) => [kind, EVENT_CATEGORY[kind]]))(
    'a %s flag has category %s',
    (kind, category) => {
      const flags = mergeEventReports([report({ phase: 'instant', kind })], [], NOW);
      expect(flags[0]?.category).toBe(category);
    },
  );

  describe('review', () => {
    const review = (
      decision: FlagReview['decision'],
      atMs: number,
      flagId = 'evt-0001',
    ): FlagReview => ({
      flagId,
      decision,
      atMs,
    });

    test.each([
      ['no review', [], 'pending'],
      ['one confirmation', [review('confirmed', NOW)], 'confirmed'],
      [
        'confirmed then dismissed',
        [review('confirmed', NOW), review('dismissed', NOW + 1)],
        'dismissed',
      ],
      [
        'the latest by time, not by array order',
        [review('dismissed', NOW + 5), review('confirmed', NOW)],
        'dismissed',
      ],
      [
        'equal times: the later entry',
        [review('dismissed', NOW), review('confirmed', NOW)],
        'confirmed',
      ],
      ['a review of another flag', [review('dismissed', NOW, 'evt-9999')], 'pending'],
    ] as const)('with %s is %s', (_, reviews, expected) => {
      expect(mergeEventReports([start, end], reviews, NOW)[0]?.review).toBe(expected);
    });
  });

  test('sorts by start time, then flag id', () => {
    const events = [
      report({ phase: 'instant', seq: 1, eventId: 'evt-c', startMs: T0 + 10 }),
      report({ phase: 'instant', seq: 2, eventId: 'evt-b', startMs: T0 }),
      report({ phase: 'instant', seq: 3, eventId: 'evt-a', startMs: T0 + 10 }),
      report({ phase: 'instant', seq: 4, eventId: 'evt-B', startMs: T0 + 10 }),
    ];
    expect(mergeEventReports(events, [], NOW).map((f) => f.flagId)).toEqual([
      'evt-b',
      'evt-B',
      'evt-a',
      'evt-c',
    ]);
  });

  test('later reports win on detail fields and the union stays within 12 fields', () => {
    const wide = (prefix: string) =>
      Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${prefix}${String(i)}`, i]));
    const a = report({ phase: 'start', seq: 1, details: { shared: 1, ...wide('s') } });
    const b = report({ phase: 'end', seq: 2, details: { shared: 2, ...wide('e') } });
    const [flag] = mergeEventReports([a, b], [], NOW);
    expect(flag?.details.shared).toBe(2);
    expect(Object.keys(flag?.details ?? {})).toHaveLength(12);
    expect(Object.keys(flag?.details ?? {}).filter((k) => k.startsWith('e'))).toHaveLength(10);
    expect(() => FlagSchema.parse(flag)).not.toThrow();
  });

  test('random report streams merge to valid flags regardless of arrival order and duplication', () => {
    for (let seed = 0; seed < 200; seed += 1) {
      const random = mulberry32(seed);
      const events: IntegrityEvent[] = [];
      let seq = 0;
      const count = randomInt(random, 0, 30);
      for (let i = 0; i < count; i += 1) {
        const eventId = `evt-${String(i).padStart(4, '0')}`;
        const kind = randomPick(random, EventKindSchema.options);
        const startMs = T0 + randomInt(random, 0, 50_000);
        if (random() < 0.3) {
          events.push(report({ phase: 'instant', seq: seq++, eventId, kind, startMs }));
          continue;
        }
        const endMs = startMs + randomInt(random, 0, 20_000);
        if (random() < 0.8)
          events.push(report({ phase: 'start', seq: seq++, eventId, kind, startMs }));
        if (random() < 0.7) {
          events.push(
            report({
              phase: 'end',
              seq: seq++,
              eventId,
              kind,
              startMs,
              endMs,
              durationMs: endMs - startMs,
            }),
          );
        }
      }
      const reviews: FlagReview[] = events
        .filter(() => random() < 0.3)
        .map((e, i) => ({
          flagId: e.eventId,
          decision: random() < 0.5 ? 'confirmed' : 'dismissed',
          atMs: NOW + i,
        }));
      const expected = mergeEventReports(events, reviews, NOW);
      // Arrival order and redelivery never change the result.
      const redelivered = [...events, ...events.filter(() => random() < 0.5)];
      const shuffledEvents = redelivered
        .map((e) => ({ e, key: random() }))
        .sort((x, y) => x.key - y.key)
        .map(({ e }) => e);
      expect(mergeEventReports(shuffledEvents, reviews, NOW), `seed ${String(seed)}`).toEqual(
        expected,
      );
      expect(new Set(expected.map((f) => f.flagId)).size).toBe(expected.length);
      for (const flag of expected) {
        expect(FlagSchema.safeParse(flag).success, `seed ${String(seed)}`).toBe(true);
        expect(flag.durationMs).toBe(
          flag.endMs === null ? Math.max(0, NOW - flag.startMs) : flag.endMs - flag.startMs,
        );
      }
      for (let i = 1; i < expected.length; i += 1) {
        expect((expected[i - 1]?.startMs ?? 0) <= (expected[i]?.startMs ?? 0)).toBe(true);
      }
    }
  });
});

describe('closeOpenFlags', () => {
  const open: Flag = {
    flagId: 'open-1',
    kind: 'no_face',
    category: 'integrity',
    startMs: 1_000,
    endMs: null,
    durationMs: 500,
    details: {},
    review: 'pending',
  };
  test('ends open flags at the given instant and leaves closed ones alone', () => {
    const closed: Flag = { ...open, flagId: 'closed-1', endMs: 1_200, durationMs: 200 };
    expect(closeOpenFlags([open, closed], 4_000)).toEqual([
      { ...open, endMs: 4_000, durationMs: 3_000 },
      closed,
    ]);
  });
  test('never ends a flag before it started', () => {
    expect(closeOpenFlags([open], 500)[0]).toMatchObject({ endMs: 1_000, durationMs: 0 });
  });
});
