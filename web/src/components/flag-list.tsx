import { EVENT_LABEL } from '../../../shared/protocol/integrity-event';
import type { Flag } from '../../../shared/detection/flag';
import { countsTowardScore } from '../../../shared/scoring/score-engine';
import { formatClock, formatDuration } from './format';

/**
 * The live list of flags, newest first. Each can be confirmed or dismissed by the interviewer;
 * a dismissed flag stops counting, and the record keeps both the flag and the decision.
 */
export function FlagList({
  flags,
  startMs,
  onReview,
}: {
  flags: readonly Flag[];
  startMs: number;
  onReview?: (flagId: string, decision: 'confirmed' | 'dismissed') => void;
}) {
  const newestFirst = [...flags].reverse();
  return (
    <section className="panel" aria-labelledby="flags-heading">
      <h2 id="flags-heading">Flags</h2>
      <ul aria-label="Flags" aria-live="polite" className="flag-list">
        {newestFirst.length === 0 && <li className="muted">No flags so far.</li>}
        {newestFirst.map((flag) => (
          <li
            key={flag.flagId}
            className={`flag flag-${flag.category} flag-${flag.review}`}
            data-kind={flag.kind}
          >
            <span className="flag-time">{formatClock(flag.startMs - startMs)}</span>
            <span className="flag-type">{EVENT_LABEL[flag.kind]}</span>
            <span className="flag-duration">
              {flag.endMs === null
                ? `ongoing, ${formatDuration(flag.durationMs)}`
                : formatDuration(flag.durationMs)}
            </span>
            {flag.category === 'measurement' && (
              <span className="flag-note">measurement, not counted</span>
            )}
            {flag.category === 'integrity' &&
              flag.review !== 'dismissed' &&
              !countsTowardScore(flag) && (
                <span className="flag-note">part of a hidden-tab period, not counted twice</span>
              )}
            {flag.review !== 'pending' && <span className="flag-note">{flag.review}</span>}
            {onReview && flag.category === 'integrity' && (
              <span className="flag-actions">
                <button
                  type="button"
                  onClick={() => onReview(flag.flagId, 'confirmed')}
                  disabled={flag.review === 'confirmed'}
                  aria-label={`Confirm ${EVENT_LABEL[flag.kind]} at ${formatClock(flag.startMs - startMs)}`}
                >
                  Confirm
                </button>
                <button
                  type="button"
                  onClick={() => onReview(flag.flagId, 'dismissed')}
                  disabled={flag.review === 'dismissed'}
                  aria-label={`Dismiss ${EVENT_LABEL[flag.kind]} at ${formatClock(flag.startMs - startMs)}`}
                >
                  Dismiss
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
