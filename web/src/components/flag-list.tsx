import { EVENT_LABEL } from '../../../shared/protocol/integrity-event';
import type { Flag } from '../../../shared/detection/flag';
import { flagEvidence } from '../../../shared/detection/flag-evidence';
import { countsTowardScore } from '../../../shared/scoring/score-engine';
import { formatClock, formatDuration } from './format';

/**
 * The live list of flags, newest first. Each can be confirmed or dismissed by the interviewer;
 * a dismissed flag stops counting (it gives back everything it cost), and the record keeps both
 * the flag and the decision. Each flag shows what was measured behind it and, with `points`
 * (ScoreResult.flagPoints), what it costs.
 */
export function FlagList({
  flags,
  startMs,
  onReview,
  points,
}: {
  flags: readonly Flag[];
  startMs: number;
  onReview?: (flagId: string, decision: 'confirmed' | 'dismissed') => void;
  points?: Readonly<Record<string, number>>;
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
            {flagEvidence(flag) !== '' && (
              <span className="flag-evidence">{flagEvidence(flag)}</span>
            )}
            {points?.[flag.flagId] !== undefined && (
              <span className="flag-points">{`${(points[flag.flagId] ?? 0).toFixed(1)} points`}</span>
            )}
            {flag.review === 'dismissed' && flag.category === 'integrity' ? (
              <span className="flag-note">dismissed: everything it cost is given back</span>
            ) : (
              flag.review !== 'pending' && <span className="flag-note">{flag.review}</span>
            )}
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
