import { describe, expect, it } from 'vitest';
import { createDurableSignal, randomId, type EventReport } from './events';

describe('durable signal', () => {
  it('is one event while any of its causes holds', () => {
    const reports: EventReport[] = [];
    let now = 1000;
    const signal = createDurableSignal(
      'connection_lost',
      (r) => reports.push(r),
      () => now,
    );
    signal.set('reconnecting', true);
    now = 1500;
    signal.set('quality_lost', true);
    signal.set('reconnecting', false);
    now = 4000;
    signal.set('quality_lost', false);
    expect(reports.map((r) => [r.phase, r.startMs, r.endMs, r.durationMs])).toEqual([
      ['start', 1000, null, null],
      ['end', 1000, 4000, 3000],
    ]);
    expect(reports[0]?.eventId).toBe(reports[1]?.eventId);
  });

  it('does nothing for a cause cleared while not open, and closes on cleanup', () => {
    const reports: EventReport[] = [];
    const signal = createDurableSignal(
      'page_hidden',
      (r) => reports.push(r),
      () => 5,
    );
    signal.set('hidden', false);
    expect(reports).toEqual([]);
    signal.set('hidden', true);
    signal.close();
    signal.close();
    expect(reports.map((r) => r.phase)).toEqual(['start', 'end']);
  });
});

describe('random id', () => {
  it('matches the protocol id pattern', () => {
    for (let i = 0; i < 100; i += 1) expect(randomId(22)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
