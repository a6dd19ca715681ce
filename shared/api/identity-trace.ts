import type { SessionRecord, StoredSample } from '../record/session-record';
import type { IdentityTrace } from './interview-api';

/** Most recent points the live view carries (a point per second: ten minutes). */
export const LIVE_IDENTITY_POINTS = 600;

type TracePoint = IdentityTrace['points'][number];
type TracedSample = Pick<StoredSample, 'identitySimilarity' | 'windowEndMs'>;

/**
 * The identity trace of a record for the interviewer's live view and the report, or undefined
 * when the interview does not use the identity check. Only the similarities the samples carried:
 * the record never holds a face descriptor.
 */
export function identityTraceOf(
  record: Pick<SessionRecord, 'identity_check' | 'samples'>,
  maxPoints = Number.POSITIVE_INFINITY,
): IdentityTrace | undefined {
  const book = new IdentityTraceBook(maxPoints);
  for (const s of record.samples) book.add(s);
  return book.traceFor(record.identity_check);
}

/**
 * The same trace kept as samples arrive, for the live view: adding a sample and reading the
 * trace cost at most `maxPoints` steps whatever the interview's age (the batch function walks
 * every sample). Points are kept in arrival order, as the record keeps its samples, so the trace
 * equals `identityTraceOf` on the same samples.
 */
export class IdentityTraceBook {
  private readonly points: TracePoint[] = [];

  constructor(
    private readonly maxPoints: number,
    samples: readonly TracedSample[] = [],
  ) {
    for (const s of samples) this.add(s);
  }

  add(sample: TracedSample): void {
    const similarity = sample.identitySimilarity;
    if (similarity === undefined) return;
    this.points.push({ tMs: sample.windowEndMs, similarity });
    // Trimmed in batches (amortised constant cost): at most 2 x maxPoints are ever held.
    if (Number.isFinite(this.maxPoints) && this.points.length > 2 * this.maxPoints) {
      this.points.splice(0, this.points.length - this.maxPoints);
    }
  }

  traceFor(setting: SessionRecord['identity_check']): IdentityTrace | undefined {
    if (setting?.enabled !== true) return undefined;
    const points = this.points;
    return {
      enabled: true,
      consented_at: setting.consented_at,
      points: points.length > this.maxPoints ? points.slice(-this.maxPoints) : [...points],
    };
  }
}
