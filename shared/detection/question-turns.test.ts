import { describe, expect, it } from 'vitest';
import type { Flag, SpeakerInterval } from './flag';
import { describeQuestion } from './question-description';
import {
  insertGazePoint,
  questionEvidence,
  QuestionEvidenceSchema,
  speakerTurns,
  type GazePoint,
} from './question-turns';

const T0 = 1_700_000_000_000;
const s = (seconds: number): number => T0 + seconds * 1000;
const speech = (role: SpeakerInterval['role'], from: number, to: number): SpeakerInterval => ({
  role,
  startMs: s(from),
  endMs: s(to),
});
const flag = (
  kind: Flag['kind'],
  from: number,
  to: number | null,
  review: Flag['review'] = 'pending',
): Flag => ({
  flagId: `f${String(from)}`,
  kind,
  category: 'integrity',
  startMs: s(from),
  endMs: to === null ? null : s(to),
  durationMs: ((to ?? from) - from) * 1000,
  details: {},
  review,
});

describe('speakerTurns', () => {
  it('merges one role across short pauses, not across long ones', () => {
    const turns = speakerTurns([
      speech('interviewer', 0, 2),
      speech('interviewer', 2.5, 4),
      speech('interviewer', 7, 8),
    ]);
    expect(turns.map((t) => [t.startMs - T0, t.endMs - T0])).toEqual([
      [0, 4000],
      [7000, 8000],
    ]);
  });
});

describe('questionEvidence', () => {
  const speakers = [
    speech('interviewer', 0, 4), // Q1
    speech('candidate', 5, 15), // answer after 1 s
    speech('interviewer', 16, 20), // Q2
    speech('candidate', 21.4, 30), // after 1.4 s
    speech('interviewer', 31, 35), // Q3
    speech('candidate', 38.9, 60), // after 3.9 s, while reading
  ];

  it('finds each question and its answer with onset latency against the running baseline', () => {
    const qs = questionEvidence({ speakers, flags: [], gaze: [], atMs: s(61) });
    expect(qs).toHaveLength(3);
    expect(qs.map((q) => q.onsetLatencyMs)).toEqual([1000, 1400, 3900]);
    expect(qs.map((q) => q.baselineLatencyMs)).toEqual([null, 1000, 1200]);
    expect(qs[2]?.answerStartMs).toBe(s(38.9));
    for (const q of qs) expect(QuestionEvidenceSchema.safeParse(q).success).toBe(true);
  });

  it('puts reading, gaze region and flags with the answer they happened in, in plain words', () => {
    const gaze: GazePoint[] = [];
    for (let t = 35; t < 60; t += 1)
      gaze.push({ tMs: s(t), gazeHDeg: t < 40 ? 1 : 20, gazeVDeg: -2 });
    const flags = [
      flag('reading', 40, 58),
      flag('looking_away', 10, 12),
      flag('paste', 45, 45),
      flag('page_hidden', 50, 51, 'dismissed'),
      flag('poor_quality', 41, 44),
    ];
    const qs = questionEvidence({ speakers, flags, gaze, atMs: s(61) });
    expect(qs[0]?.flags).toEqual([{ kind: 'looking_away', count: 1 }]);
    expect(qs[2]?.reading).toEqual([{ startMs: s(40), endMs: s(58) }]);
    expect(qs[2]?.gazeRegion?.horizontalDeg).toBe(20);
    expect(qs[2]?.flags).toEqual([{ kind: 'paste', count: 1 }]);
    expect(describeQuestion(qs[2] as NonNullable<(typeof qs)[2]>)).toBe(
      'Q3: reading pattern for 18 s after an unusually long pause, gaze 20° right of the video, answer began after 3.9 s; usual 1.2 s, Pasted text',
    );
  });

  it('names a long pause together with reading only when the pause is long for this candidate', () => {
    const q = {
      index: 2,
      askedAtMs: s(0),
      questionEndMs: s(3),
      answerStartMs: s(5),
      answerEndMs: s(30),
      reading: [{ startMs: s(6), endMs: s(20) }],
      readingMs: 14_000,
      gazeRegion: null,
      flags: [],
    };
    const says = (onsetLatencyMs: number, baselineLatencyMs: number | null): string =>
      describeQuestion({ ...q, onsetLatencyMs, baselineLatencyMs });
    // Twice the usual but only 1 s more: an ordinary variation.
    expect(says(2000, 1000)).toMatch(/^Q2: reading pattern for 14 s, answer began/);
    // 1.5 s more but not twice the usual (a slow starter).
    expect(says(4000, 2500)).toMatch(/^Q2: reading pattern for 14 s, answer began/);
    expect(says(3000, 1000)).toMatch(
      /^Q2: reading pattern for 14 s after an unusually long pause,/,
    );
    // No usual yet (the first answer): nothing to compare with.
    expect(says(9000, null)).toMatch(/^Q2: reading pattern for 14 s, answer began after 9.0 s$/);
  });

  it('an open reading flag counts up to now; an unanswered question says so', () => {
    const qs = questionEvidence({
      speakers: [speech('interviewer', 0, 4), speech('interviewer', 10, 13)],
      flags: [flag('reading', 11, null)],
      gaze: [],
      atMs: s(20),
    });
    expect(qs[0]?.onsetLatencyMs).toBeNull();
    expect(describeQuestion(qs[0] as NonNullable<(typeof qs)[0]>)).toBe('Q1: no answer heard');
    expect(qs[1]?.readingMs).toBe(7000);
  });

  it('ignores backchannels as questions and mostly-at-the-video gaze as a region', () => {
    const qs = questionEvidence({
      speakers: [
        speech('interviewer', 0, 4),
        speech('candidate', 4.5, 20),
        speech('interviewer', 10, 10.4),
      ],
      flags: [],
      gaze: [5, 6, 7, 8].map((t) => ({ tMs: s(t), gazeHDeg: t === 5 ? 25 : 1, gazeVDeg: 0 })),
      atMs: s(21),
    });
    expect(qs).toHaveLength(1);
    expect(qs[0]?.gazeRegion).toBeNull();
    expect(qs[0]?.onsetLatencyMs).toBe(500);
  });

  it('returns nothing without speech and never fails on odd intervals', () => {
    expect(questionEvidence({ speakers: [], flags: [], gaze: [], atMs: s(1) })).toEqual([]);
    const odd = [{ role: 'interviewer' as const, startMs: s(5), endMs: s(1) }];
    expect(questionEvidence({ speakers: odd, flags: [], gaze: [], atMs: s(10) })).toEqual([]);
  });

  it('insertGazePoint keeps the gaze in time order, appending in the usual case', () => {
    const gaze: GazePoint[] = [];
    for (const t of [1, 2, 5, 3, 4, 4, 9, 0]) insertGazePoint(gaze, { windowStartMs: s(t) });
    expect(gaze.map((g) => g.tMs)).toEqual([0, 1, 2, 3, 4, 4, 5, 9].map(s));
  });
});
