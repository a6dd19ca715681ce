import { describe, expect, test } from 'vitest';
import { EventKindSchema, type IntegrityEvent } from '../protocol/integrity-event';
import { mulberry32, randomInt, randomPick } from '../scoring/seeded-random';
import type { FlagReview } from './flag';
import { FlagBook } from './flag-book';
import { mergeEventReports } from './flags';

const T0 = 1_700_000_000_000;

function report(fields: Partial<IntegrityEvent> & Pick<IntegrityEvent, 'phase' | 'seq'>) {
  const startMs = fields.startMs ?? T0;
  const ended = fields.phase === 'end';
  const event: IntegrityEvent = {
    type: 'integrity_event',
    v: 1,
    stream: 'stream-cand-01',
    eventId: 'evt-0001',
    kind: 'looking_away',
    startMs,
    endMs: ended ? startMs + 7000 : null,
    durationMs: ended ? 7000 : null,
    details: {},
    ...fields,
  };
  return event;
}

/** A random arrival sequence of reports (with redeliveries) and reviews. */
function randomArrivals(seed: number): (IntegrityEvent | FlagReview)[] {
  const random = mulberry32(seed);
  const arrivals: (IntegrityEvent | FlagReview)[] = [];
  let seq = 0;
  for (let i = 0; i < randomInt(random, 0, 40); i += 1) {
    const eventId = `evt-${String(randomInt(random, 0, 15)).padStart(4, '0')}`;
    const kind = randomPick(random, EventKindSchema.options);
    const startMs = T0 + randomInt(random, 0, 50_000);
    const phase = randomPick(random, ['start', 'end', 'instant'] as const);
    const endMs = startMs + randomInt(random, 0, 20_000);
    arrivals.push(
      report({
        phase,
        seq: seq++,
        eventId,
        kind,
        startMs,
        endMs: phase === 'end' ? endMs : null,
        durationMs: phase === 'end' ? endMs - startMs : null,
        details: { n: randomInt(random, 0, 9) },
      }),
    );
    const last = arrivals[randomInt(random, 0, arrivals.length - 1)];
    if (random() < 0.2 && last && 'seq' in last) arrivals.push(last);
    if (random() < 0.25) {
      arrivals.push({
        flagId: eventId,
        decision: random() < 0.5 ? 'confirmed' : 'dismissed',
        atMs: T0 + randomInt(random, 0, 5) * 1000,
      });
    }
  }
  return arrivals;
}

describe('flag book', () => {
  test('after every arrival it equals mergeEventReports over everything so far', () => {
    for (let seed = 0; seed < 200; seed += 1) {
      const book = new FlagBook();
      const events: IntegrityEvent[] = [];
      const reviews: FlagReview[] = [];
      for (const arrival of randomArrivals(seed)) {
        if ('seq' in arrival) {
          events.push(arrival);
          book.addEvent(arrival);
        } else {
          reviews.push(arrival);
          book.addReview(arrival);
        }
        const nowMs = T0 + 60_000 + events.length;
        expect(book.flagsAt(nowMs), `seed ${String(seed)}`).toEqual(
          mergeEventReports(events, reviews, nowMs),
        );
      }
    }
  });

  test('a redelivered report is refused; a review of a flag not yet seen applies when it arrives', () => {
    const book = new FlagBook();
    book.addReview({ flagId: 'evt-0001', decision: 'dismissed', atMs: 5 });
    const start = report({ phase: 'start', seq: 1 });
    expect(book.addEvent(start)).toBe(true);
    expect(book.addEvent({ ...start, details: { other: 1 } })).toBe(false);
    expect(book.flagsAt(T0 + 1000)).toMatchObject([
      { flagId: 'evt-0001', review: 'dismissed', endMs: null, durationMs: 1000 },
    ]);
    expect(book.has('evt-0001')).toBe(true);
    expect(book.has('evt-0002')).toBe(false);
  });
});
