import { describe, expect, it } from 'vitest';
import { AckLedger, reconcile, sumReconciliations } from './accounting';

const STREAM = 'load-0001-abc';
const ack = (upToSeq: number, seqs?: number[]) => ({
  type: 'ack' as const,
  v: 1 as const,
  stream: STREAM,
  upToSeq,
  ...(seqs === undefined ? {} : { seqs }),
});

describe('AckLedger', () => {
  it('keeps the cumulative prefix and selective seqs above it', () => {
    const ledger = new AckLedger(STREAM);
    ledger.apply(ack(2, [5, 7]));
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((s) => ledger.has(s))).toEqual([
      true,
      true,
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(ledger.countAcked(8)).toBe(5);
    expect(ledger.countAcked(6)).toBe(4);
  });

  it('never moves the prefix back and ignores other streams', () => {
    const ledger = new AckLedger(STREAM);
    ledger.apply(ack(4));
    ledger.apply(ack(1));
    ledger.apply({ ...ack(9), stream: 'someone-else' });
    expect(ledger.countAcked(10)).toBe(5);
  });

  it('crosses a process boundary as plain data unchanged', () => {
    const ledger = new AckLedger(STREAM);
    ledger.apply(ack(3, [6, 9]));
    const copy = AckLedger.from(structuredClone(ledger.toJSON()));
    expect([...Array(12).keys()].map((s) => copy.has(s))).toEqual(
      [...Array(12).keys()].map((s) => ledger.has(s)),
    );
    expect(copy.countAcked(12)).toBe(ledger.countAcked(12));
  });

  it('folds selective seqs into a later prefix without counting them twice', () => {
    const ledger = new AckLedger(STREAM);
    ledger.apply(ack(0, [2, 3]));
    ledger.apply(ack(3));
    expect(ledger.countAcked(10)).toBe(4);
  });
});

describe('reconcile', () => {
  it('counts acknowledged messages missing from the record as lost', () => {
    const ledger = new AckLedger(STREAM);
    ledger.apply(ack(3));
    expect(reconcile(5, ledger, [0, 1, 3, 4])).toEqual({
      created: 5,
      acked: 4,
      stored: 4,
      lost: 1,
      duplicates: 0,
    });
  });

  it('counts extra copies of a seq as duplicates, and unacknowledged gaps as no loss', () => {
    const ledger = new AckLedger(STREAM);
    ledger.apply(ack(1));
    expect(reconcile(4, ledger, [0, 1, 1, 2])).toEqual({
      created: 4,
      acked: 2,
      stored: 3,
      lost: 0,
      duplicates: 1,
    });
  });

  it('sums rows', () => {
    const row = { created: 2, acked: 2, stored: 2, lost: 0, duplicates: 1 };
    expect(sumReconciliations([row, row])).toEqual({
      created: 4,
      acked: 4,
      stored: 4,
      lost: 0,
      duplicates: 2,
    });
  });
});
