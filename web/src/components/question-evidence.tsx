import { describeQuestion } from '../../../shared/detection/question-description';
import type { QuestionEvidence as Evidence } from '../../../shared/detection/question-turns';
import { describeRecurringGaze, recurringGaze } from '../../../shared/detection/recurring-gaze';
import { formatClock } from './format';

/**
 * Per-question evidence for the interviewer, in plain words, one line per question: when it was
 * asked, how long the answer took to start against the candidate's usual, reading and where the
 * eyes dwelt, and the flags during the answer; above them, a place off the video the eyes went
 * back to at answer after answer. Evidence to weigh, not a verdict; only the reading flag
 * (reviewable in the flag list) counts towards the score.
 */
export function QuestionEvidence({
  questions,
  startMs,
}: {
  questions: readonly Evidence[] | undefined;
  startMs: number;
}) {
  const recurring = questions === undefined ? null : recurringGaze(questions);
  return (
    <section className="panel" aria-labelledby="questions-heading">
      <h2 id="questions-heading">Questions</h2>
      {recurring !== null && <p className="recurring-gaze">{describeRecurringGaze(recurring)}</p>}
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
