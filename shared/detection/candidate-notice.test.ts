import { describe, expect, test } from 'vitest';
import { EventKindSchema } from '../protocol/integrity-event';
import { liveNoticeFor } from './candidate-notice';

describe('liveNoticeFor', () => {
  test.each([
    ['no_face', 'Your face is not visible to the camera'],
    ['multiple_faces', 'More than one person is visible'],
    ['looking_away', 'Please look at the screen'],
    ['page_hidden', 'The interview tab was hidden'],
    ['poor_quality', 'Lighting is too poor to measure'],
    ['microphone_muted', 'Your microphone is muted'],
    ['context_menu', null],
  ] as const)('tells the candidate about %s in plain words', (kind, notice) => {
    expect(liveNoticeFor(kind)).toBe(notice);
  });

  test.each([
    ['dark', 'Lighting is too poor to measure'],
    ['glare', 'Too much light or glare on the camera'],
    ['blur', 'The camera image is blurred'],
    ['covered', 'The camera seems to be covered'],
  ] as const)('names the cause of poor quality when it is %s', (issue, notice) => {
    expect(liveNoticeFor('poor_quality', issue)).toBe(notice);
  });

  test('ignores a quality issue for other kinds', () => {
    expect(liveNoticeFor('no_face', 'dark')).toBe('Your face is not visible to the camera');
  });

  test.each(EventKindSchema.options.map((kind) => [kind]))(
    'the notice for %s is short, observational and never an accusation or a trait',
    (kind) => {
      const notice = liveNoticeFor(kind);
      if (notice === null) return;
      expect(notice.length).toBeGreaterThan(0);
      expect(notice.length).toBeLessThanOrEqual(60);
      expect(notice).not.toMatch(
        /cheat|suspicio|dishonest|nervous|anxious|emotion|personality|fail/i,
      );
    },
  );
});
