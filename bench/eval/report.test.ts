import { describe, expect, test } from 'vitest';
import { formatScores, type ClipResult } from './report';

const clip: ClipResult = {
  clip: 'dev_honest',
  durationS: 30,
  interviewId: 'x',
  identityCheck: false,
  finalScore: 98,
  coverage: 0.95,
  cameraOpens: 1,
  missedFrames: 0,
  clockSource: 'track-counter',
  probedFps: 15,
  statusAtEnd: null,
  contentCheck: { offsetFrames: 0, error: 0.01, clear: true },
  match: { labels: [], detections: [] },
  otherFlags: [],
};

describe('eval report', () => {
  test('prints the per-clip table as Markdown for the README', () => {
    expect(formatScores([clip], 'markdown').split('\n')).toEqual([
      '| clip | score | expected | found on time | unexpected | clock vs pictures |',
      '| --- | --- | --- | --- | --- | --- |',
      '| dev_honest | 98 | 0 | 0/0 | 0 | +0 frames |',
    ]);
  });

  test('and as aligned text for the terminal', () => {
    const [head, rule, row] = formatScores([clip]).split('\n');
    expect(head?.startsWith('clip        score')).toBe(true);
    expect(rule?.startsWith('----------  -----')).toBe(true);
    expect(row?.startsWith('dev_honest  98')).toBe(true);
  });
});
