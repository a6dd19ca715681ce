import { describe, expect, test } from 'vitest';
import type { QuestionEvidence } from './question-turns';
import { describeRecurringGaze, recurringGaze, SAME_PLACE_DEG } from './recurring-gaze';

function answer(index: number, region: [number, number] | null, heard = true): QuestionEvidence {
  return {
    index,
    askedAtMs: index * 60_000,
    questionEndMs: index * 60_000 + 3000,
    answerStartMs: heard ? index * 60_000 + 4000 : null,
    answerEndMs: heard ? index * 60_000 + 30_000 : null,
    onsetLatencyMs: heard ? 1000 : null,
    baselineLatencyMs: null,
    reading: [],
    readingMs: 0,
    gazeRegion:
      region === null ? null : { horizontalDeg: region[0], verticalDeg: region[1], share: 0.5 },
    flags: [],
  };
}

describe('recurringGaze', () => {
  test('finds the place several answers went back to, and says it in plain words', () => {
    const r = recurringGaze([
      answer(1, null),
      answer(2, [19, 2]),
      answer(3, [-14, 0]),
      answer(4, [22, -1]),
      answer(5, [20, 4]),
    ]);
    expect(r).toMatchObject({
      horizontalDeg: 20,
      verticalDeg: 2,
      questions: [2, 4, 5],
      answers: 5,
    });
    expect(r && describeRecurringGaze(r)).toBe(
      'Eyes went back to the same place, about 20° right of the video, in 3 of 5 answers (Q2, Q4, Q5).',
    );
  });

  test('one answer off the video, or answers looking in different places, is no recurring place', () => {
    expect(recurringGaze([answer(1, [20, 0]), answer(2, null)])).toBeNull();
    expect(
      recurringGaze([answer(1, [20, 0]), answer(2, [-20, 0]), answer(3, [0, -15])]),
    ).toBeNull();
    expect(recurringGaze([])).toBeNull();
  });

  test('"the same place" means within SAME_PLACE_DEG', () => {
    const near = SAME_PLACE_DEG - 0.5;
    expect(recurringGaze([answer(1, [15, 0]), answer(2, [15 + near, 0])])?.questions).toEqual([
      1, 2,
    ]);
    expect(
      recurringGaze([answer(1, [15, 0]), answer(2, [15 + SAME_PLACE_DEG + 0.5, 0])]),
    ).toBeNull();
  });

  test('counts only answers heard in "of N", and never says fewer answers than places', () => {
    const r = recurringGaze([answer(1, [10, -12], false), answer(2, [12, -10], false)]);
    expect(r && describeRecurringGaze(r)).toBe(
      'Eyes went back to the same place, about 11° right and 11° below of the video, in 2 of 2 answers (Q1, Q2).',
    );
  });
});
