import type { ScoreResult } from '../../../shared/scoring/score-result';

export interface ScoreBand {
  word: string;
  range: string;
  className: string;
}

/** The bands the meter names in words; the legend lists them all. */
const MANY: ScoreBand & { min: number } = {
  min: 0,
  word: 'Many signals',
  range: '0–49',
  className: 'band-bad',
};
export const SCORE_BANDS: readonly (ScoreBand & { min: number })[] = [
  { min: 80, word: 'Few signals', range: '80–100', className: 'band-good' },
  { min: 50, word: 'Some signals', range: '50–79', className: 'band-warn' },
  MANY,
];

export function bandOf(score: number): ScoreBand {
  return SCORE_BANDS.find((b) => score >= b.min) ?? MANY;
}

export const METER_MEANING =
  'Integrity evidence for you to review: 100 means nothing was flagged. It is not the candidate’s self-confidence and not a decision.';

/**
 * The live confidence score (the API's name for it): how much integrity evidence the candidate's
 * device has reported, for a human reviewer. No number before there is data, the band in words
 * beside the number (never colour alone), and the coverage it rests on. The number is dark text
 * on the page background, outside the coloured bar, so it is readable at every value.
 */
export function ConfidenceMeter({
  result,
  hasData,
}: {
  result: ScoreResult | null;
  /** False until the candidate's device has sent anything: no score is shown before. */
  hasData: boolean;
}) {
  const score = hasData && result ? result.score : null;
  const band = score === null ? null : bandOf(score);
  return (
    <section className="panel meter-panel" aria-labelledby="meter-heading">
      <h2 id="meter-heading">Confidence score</h2>
      <p className="meter-meaning">{METER_MEANING}</p>
      {score === null || !band || !result ? (
        <p className="meter-waiting" role="status">
          Waiting for the candidate: the score appears once their device sends its first
          measurements.
        </p>
      ) : (
        <>
          <div className="meter-row">
            <span className="meter-number" aria-hidden="true">
              {score}
            </span>
            <span className={`meter-band ${band.className}`} aria-hidden="true">
              {band.word}
            </span>
            <span className="meter-coverage" aria-hidden="true">
              measured {Math.round(result.coverage * 100)}% of the time
            </span>
          </div>
          <div
            role="meter"
            aria-label="Confidence score"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={score}
            aria-valuetext={`${score} out of 100, ${band.word.toLowerCase()}, measured ${Math.round(result.coverage * 100)}% of the time`}
            className={`meter ${band.className}`}
          >
            <div className="meter-fill" style={{ width: `${score}%` }} />
          </div>
          {result.coverage < 0.5 && (
            <p className="meter-note">
              Low coverage: much of the time could not be measured, so treat the score with care.
            </p>
          )}
        </>
      )}
      <ul className="meter-legend" aria-label="Score bands">
        {SCORE_BANDS.map((b) => (
          <li key={b.word}>
            <span className={`swatch ${b.className}`} aria-hidden="true" /> {b.range}: {b.word}
          </li>
        ))}
      </ul>
    </section>
  );
}
