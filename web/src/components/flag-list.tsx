import { useId, useState } from 'react';
import { EVENT_LABEL } from '../../../shared/protocol/integrity-event';
import type { Flag } from '../../../shared/detection/flag';
import { flagEvidence } from '../../../shared/detection/flag-evidence';
import { countsTowardScore } from '../../../shared/scoring/score-engine';
import { formatFlagPoints } from './flag-points';
import { formatClock, formatDuration } from './format';

export type ReviewDecision = 'confirmed' | 'dismissed';
export type OnReview = (flagId: string, decision: ReviewDecision, note?: string) => Promise<void>;

/**
 * Keeps the order in which flags were first shown: new ones are appended, so nothing moves
 * under the pointer or the keyboard focus while the interviewer reviews. The first list seen is
 * in time order (the server sorts by start).
 */
function mergeOrder(previous: readonly string[], flags: readonly Flag[]): string[] {
  const known = new Set(previous);
  const added = flags.filter((f) => !known.has(f.flagId)).map((f) => f.flagId);
  return added.length === 0 ? (previous as string[]) : [...previous, ...added];
}

/**
 * The flags of one interview in time order, each with its time on the interview's clock (since
 * `startMs`, the same instant for the live view and the report), duration, points and evidence.
 * With `onReview` each integrity flag can be confirmed or dismissed with an optional note;
 * the buttons are never disabled (they show their state with aria-pressed), so focus stays on
 * the flag just reviewed. New flags are announced briefly in one polite status line instead of
 * making the whole list a live region.
 */
export function FlagList({
  flags,
  startMs,
  points,
  notes,
  onReview,
}: {
  flags: readonly Flag[];
  startMs: number;
  /** Points per flagId (negative): the score engine's ScoreResult.flagPoints. */
  points?: ReadonlyMap<string, number>;
  /** Latest note per flagId, from the record's reviews. */
  notes?: ReadonlyMap<string, string>;
  onReview?: OnReview;
}) {
  const [order, setOrder] = useState<string[]>(() => flags.map((f) => f.flagId));
  const [announcement, setAnnouncement] = useState('');
  const merged = mergeOrder(order, flags);
  if (merged !== order) {
    // Adjusting state while rendering (React's pattern for "changed since last render").
    const known = new Set(order);
    const added = flags.filter((f) => !known.has(f.flagId) && f.category === 'integrity');
    const latest = added[added.length - 1];
    setOrder(merged);
    if (latest && onReview) {
      const what = `${EVENT_LABEL[latest.kind]} at ${formatClock(latest.startMs - startMs)}`;
      setAnnouncement(
        added.length > 1 ? `${added.length} new flags, latest: ${what}` : `New flag: ${what}`,
      );
    }
  }
  const byId = new Map(flags.map((f) => [f.flagId, f]));
  const ordered = merged.map((id) => byId.get(id)).filter((f): f is Flag => f !== undefined);

  const review = async (flag: Flag, decision: ReviewDecision, note: string): Promise<void> => {
    if (!onReview) return;
    const what = `${EVENT_LABEL[flag.kind]} at ${formatClock(flag.startMs - startMs)}`;
    try {
      await onReview(flag.flagId, decision, note.trim() === '' ? undefined : note.trim());
      setAnnouncement(`${what}: ${decision}.`);
    } catch {
      setAnnouncement(`${what}: the decision was not saved.`);
    }
  };

  return (
    <section className="panel" aria-labelledby="flags-heading">
      <h2 id="flags-heading">Flags</h2>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ol className="flag-list" aria-label="Flags in time order">
        {ordered.length === 0 && <li className="muted">No flags so far.</li>}
        {ordered.map((flag) => (
          <FlagItem
            key={flag.flagId}
            flag={flag}
            startMs={startMs}
            points={points?.get(flag.flagId)}
            note={notes?.get(flag.flagId)}
            onReview={onReview ? (decision, note) => review(flag, decision, note) : undefined}
          />
        ))}
      </ol>
    </section>
  );
}

function FlagItem({
  flag,
  startMs,
  points,
  note: savedNote,
  onReview,
}: {
  flag: Flag;
  startMs: number;
  points: number | undefined;
  note: string | undefined;
  onReview?: (decision: ReviewDecision, note: string) => Promise<void>;
}) {
  const [note, setNote] = useState(savedNote ?? '');
  const noteId = useId();
  const label = EVENT_LABEL[flag.kind];
  const at = formatClock(flag.startMs - startMs);
  const evidence = flagEvidence(flag);
  let cost: string;
  if (flag.category === 'measurement') cost = 'measurement, not counted';
  else if (flag.review === 'dismissed') cost = 'dismissed: everything it cost is given back';
  else if (!countsTowardScore(flag)) cost = 'part of a hidden-tab period, not counted twice';
  else if (flag.kind === 'camera_muted' && points === 0)
    cost = '0 points (camera off up to 10 s is not counted)';
  else if (points === undefined) cost = 'not scored yet';
  else cost = `${formatFlagPoints(points)} points`;
  return (
    <li className={`flag flag-${flag.category} flag-${flag.review}`} data-kind={flag.kind}>
      <div className="flag-head">
        <span className="flag-time">{at}</span>
        <span className="flag-type">{label}</span>
        <span className="flag-duration">
          {flag.endMs === null
            ? `ongoing, ${formatDuration(flag.durationMs)}`
            : formatDuration(flag.durationMs)}
        </span>
        <span className="flag-points">{cost}</span>
        {flag.review !== 'pending' && <span className="flag-decision">{flag.review}</span>}
      </div>
      {evidence && <p className="flag-evidence">{evidence}</p>}
      {savedNote && !onReview && <p className="flag-evidence">Note: {savedNote}</p>}
      {onReview && flag.category === 'integrity' && (
        <div className="flag-actions">
          <label htmlFor={noteId} className="flag-note-label">
            Note (optional)
          </label>
          <input
            id={noteId}
            className="flag-note-input"
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
            aria-label={`Note on ${label} at ${at} (optional)`}
          />
          <button
            type="button"
            aria-pressed={flag.review === 'confirmed'}
            onClick={() => void onReview('confirmed', note)}
            aria-label={`Confirm ${label} at ${at}`}
          >
            Confirm
          </button>
          <button
            type="button"
            aria-pressed={flag.review === 'dismissed'}
            onClick={() => void onReview('dismissed', note)}
            aria-label={`Dismiss ${label} at ${at}`}
          >
            Dismiss
          </button>
        </div>
      )}
    </li>
  );
}
