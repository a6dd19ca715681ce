import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { QuestionEvidence as Evidence } from '../../../shared/detection/question-turns';
import { QuestionEvidence } from './question-evidence';

afterEach(cleanup);

const START = 5_000_000;

function question(index: number, askedS: number, extra: Partial<Evidence> = {}): Evidence {
  return {
    index,
    askedAtMs: START + askedS * 1000,
    questionEndMs: START + (askedS + 3) * 1000,
    answerStartMs: START + (askedS + 4.2) * 1000,
    answerEndMs: START + (askedS + 20) * 1000,
    onsetLatencyMs: 1200,
    baselineLatencyMs: null,
    reading: [],
    readingMs: 0,
    gazeRegion: null,
    flags: [],
    ...extra,
  };
}

const lines = () =>
  within(screen.getByRole('region', { name: 'Questions' })).queryAllByRole('listitem');

describe('QuestionEvidence', () => {
  test('says that no question was detected yet, and why, before the first turn', () => {
    render(<QuestionEvidence questions={undefined} startMs={START} />);
    expect(screen.getByRole('heading', { name: 'Questions' })).toBeTruthy();
    expect(screen.getByText(/No questions detected yet/)).toBeTruthy();
    expect(lines()).toHaveLength(0);
  });

  test('one line per question on the interview clock, in plain words', () => {
    render(
      <QuestionEvidence
        startMs={START}
        questions={[
          question(1, 12),
          question(4, 250, {
            onsetLatencyMs: 3900,
            baselineLatencyMs: 1200,
            reading: [{ startMs: START + 255_000, endMs: START + 273_000 }],
            readingMs: 18_000,
            gazeRegion: { horizontalDeg: 20.4, verticalDeg: -1, share: 0.7 },
            flags: [{ kind: 'looking_away', count: 2 }],
          }),
          question(5, 400, { onsetLatencyMs: null, answerStartMs: null, answerEndMs: null }),
        ]}
      />,
    );
    const items = lines();
    expect(items.map((li) => li.textContent)).toEqual([
      '0:12 Q1: answer began after 1.2 s',
      '4:10 Q4: reading pattern for 18 s after an unusually long pause, gaze 20° right of the video, answer began after 3.9 s; usual 1.2 s, Looking away ×2',
      '6:40 Q5: no answer heard',
    ]);
    // One answer off the video is no pattern.
    expect(screen.queryByText(/went back to the same place/)).toBeNull();
    // New lines are announced to screen readers as they arrive.
    expect(screen.getByRole('list').getAttribute('aria-live')).toBe('polite');
  });

  test('names a place off the video that answer after answer went back to', () => {
    const region = (h: number) => ({ horizontalDeg: h, verticalDeg: 0, share: 0.6 });
    render(
      <QuestionEvidence
        startMs={START}
        questions={[
          question(1, 10, { gazeRegion: region(-21) }),
          question(2, 70),
          question(3, 130, { gazeRegion: region(-19) }),
        ]}
      />,
    );
    expect(
      screen.getByText(
        'Eyes went back to the same place, about 20° left of the video, in 2 of 3 answers (Q1, Q3).',
      ),
    ).toBeTruthy();
  });
});
