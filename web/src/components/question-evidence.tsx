import {
  describeQuestion,
  type QuestionEvidence as Evidence,
} from '../../../shared/detection/question-turns';
import { formatClock } from './format';

/**
 * Per-question evidence for the interviewer, in plain words, one line per question: when it was
 * asked, how long the answer took to start against the candidate's usual, reading and where the
 * eyes dwelt, and the flags during the answer. Evidence to weigh, not a verdict; only the reading
 * flag (reviewable in the flag list) counts towards the score.
 */
export function QuestionEvidence({
  questions,
  startMs,
}: {
  questions: readonly Evidence[] | undefined;
  startMs: number;
}) {
  return (
    <section className="panel" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions</h2>
      {questions === undefined || questions.length === 0 ? (
        <p>No questions detected yet (turns come from who is speaking).</p>
      ) : (
        <ol aria-live="polite" className="question-evidence">
          {questions.map((q) => (
            <li key={q.index} data-question={q.index}>
              <span className="question-time">{formatClock(q.askedAtMs - startMs)}</span>{' '}
              {describeQuestion(q)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
