import type { SessionRecord } from '../record/session-record';
import type { IdentityTrace } from './interview-api';

/** Most recent points the live view carries (a point per second: ten minutes). */
export const LIVE_IDENTITY_POINTS = 600;

/**
 * The identity trace of a record for the interviewer's live view and the report, or undefined
 * when the interview does not use the identity check. Only the similarities the samples carried:
 * the record never holds a face descriptor.
 */
export function identityTraceOf(
  record: Pick<SessionRecord, 'identity_check' | 'samples'>,
  maxPoints = Number.POSITIVE_INFINITY,
): IdentityTrace | undefined {
  const setting = record.identity_check;
  if (setting?.enabled !== true) return undefined;
  const points: IdentityTrace['points'] = [];
  for (const s of record.samples) {
    if (s.identitySimilarity === undefined) continue;
    points.push({ tMs: s.windowEndMs, similarity: s.identitySimilarity });
  }
  return {
    enabled: true,
    consented_at: setting.consented_at,
    points: points.length > maxPoints ? points.slice(-maxPoints) : points,
  };
}
