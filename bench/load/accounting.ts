/**
 * What one simulated candidate can say about delivery (pure): which of its messages the recorder
 * acknowledged, and, against the stored record, which acknowledged ones are missing (losses) and
 * which are stored more than once (duplicates).
 */
import type { Ack } from '../../shared/protocol/data-message';

/** Acknowledged seqs of one stream: a cumulative prefix plus selective ones above it. */
export class AckLedger {
  private upTo = -1;
  private readonly extra = new Set<number>();

  constructor(readonly stream: string) {}

  apply(ack: Ack): void {
    if (ack.stream !== this.stream) return;
    if (ack.upToSeq > this.upTo) {
      this.upTo = ack.upToSeq;
      for (const s of this.extra) if (s <= this.upTo) this.extra.delete(s);
    }
    for (const s of ack.seqs ?? []) if (s > this.upTo) this.extra.add(s);
  }

  /** The ledger as plain data (to cross a process boundary); `AckLedger.from` rebuilds it. */
  toJSON(): { stream: string; upTo: number; extra: number[] } {
    return { stream: this.stream, upTo: this.upTo, extra: [...this.extra] };
  }

  static from(data: { stream: string; upTo: number; extra: readonly number[] }): AckLedger {
    const ledger = new AckLedger(data.stream);
    ledger.upTo = data.upTo;
    for (const s of data.extra) if (s > data.upTo) ledger.extra.add(s);
    return ledger;
  }

  has(seq: number): boolean {
    return seq <= this.upTo || this.extra.has(seq);
  }

  /** How many of seqs 0..created-1 are acknowledged. */
  countAcked(created: number): number {
    let n = Math.min(created, this.upTo + 1);
    for (const s of this.extra) if (s < created) n += 1;
    return n;
  }
}

export interface Reconciliation {
  /** Messages the candidate created (seqs 0..created-1). */
  created: number;
  acked: number;
  /** Distinct seqs of this stream in the record. */
  stored: number;
  /** Acknowledged but not in the record: must be 0. */
  lost: number;
  /** Extra copies of a (stream, seq) in the record: must be 0. */
  duplicates: number;
}

/** Compares what a candidate created and had acknowledged with the seqs the record holds for its stream. */
export function reconcile(
  created: number,
  ledger: AckLedger,
  storedSeqs: readonly number[],
): Reconciliation {
  const distinct = new Set(storedSeqs);
  let lost = 0;
  for (let seq = 0; seq < created; seq += 1) {
    if (ledger.has(seq) && !distinct.has(seq)) lost += 1;
  }
  return {
    created,
    acked: ledger.countAcked(created),
    stored: distinct.size,
    lost,
    duplicates: storedSeqs.length - distinct.size,
  };
}

export function sumReconciliations(rows: readonly Reconciliation[]): Reconciliation {
  return rows.reduce(
    (a, r) => ({
      created: a.created + r.created,
      acked: a.acked + r.acked,
      stored: a.stored + r.stored,
      lost: a.lost + r.lost,
      duplicates: a.duplicates + r.duplicates,
    }),
    { created: 0, acked: 0, stored: 0, lost: 0, duplicates: 0 },
  );
}
