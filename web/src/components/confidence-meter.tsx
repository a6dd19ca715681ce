import type { ScoreResult } from '../../../shared/scoring/score-result';

function band(score: number): { label: string; className: string } {
  if (score >= 80) return { label: 'steady', className: 'meter-good' };
  if (score >= 50) return { label: 'some signals', className: 'meter-warn' };
  return { label: 'many signals', className: 'meter-bad' };
}

/**
 * The live confidence score: an ARIA meter whose value is the server's authoritative score.
 * It summarises attention and integrity signals for the interviewer to review; it decides nothing.
 */
export function ConfidenceMeter({ result }: { result: ScoreResult | null }) {
  const score = result?.score ?? null;
  const b = score === null ? null : band(score);
  return (
    <section className="panel" aria-labelledby="meter-heading">
      <h2 id="meter-heading">Confidence score</h2>
      <div
        role="meter"
        aria-label="Confidence score"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={score ?? undefined}
        aria-valuetext={
          score === null ? 'waiting for data' : `${score} out of 100, ${b?.label ?? ''}`
        }
        className={`meter ${b?.className ?? ''}`}
      >
        <div className="meter-fill" style={{ width: `${score ?? 0}%` }} />
        <span className="meter-value">{score ?? '–'}</span>
      </div>
      {result && (
        <p className="meter-note">
          Measured {Math.round(result.coverage * 100)}% of the time
          {result.coverage < 0.5 ? ' — low coverage: treat the score with care.' : '.'}
        </p>
      )}
    </section>
  );
}
