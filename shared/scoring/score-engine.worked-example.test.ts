import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../policy/policy';
import type { Flag, SpeakerInterval } from '../detection/flag';
import { computeScore } from './score-engine';
import type { ScoreContribution } from './score-result';
import { MINUTE_MS, SECOND_MS, T0_MS, makeFlag, sampleRun } from './test-fixtures';
import scoringDoc from './SCORING.md?raw';

/** Minutes:seconds from the start, as the worked example in SCORING.md writes times. */
const at = (minutes: number, seconds = 0) => T0_MS + minutes * MINUTE_MS + seconds * SECOND_MS;

const samples = [
  ...sampleRun(T0_MS, 960, () => ({
    coverage: 1,
    focusConsistency: 0.95,
    gazeStability: 0.9,
    headSpeedDegPerS: 4.5,
  })),
  ...sampleRun(
    at(16),
    240,
    () => ({ coverage: 0.5, focusConsistency: 0.5, gazeStability: 0.45, headSpeedDegPerS: 45 }),
    960,
  ),
];

const flags: Flag[] = [
  makeFlag({ flagId: 'paste-1', kind: 'paste', startMs: at(0, 30) }),
  ...Array.from({ length: 10 }, (_, i) =>
    makeFlag({ flagId: `copy-${String(i)}`, kind: 'copy', startMs: at(1, 5 * i) }),
  ),
  makeFlag({ flagId: 'hidden-1', kind: 'page_hidden', startMs: at(4), endMs: at(5, 30) }),
  makeFlag({ flagId: 'away-1', kind: 'looking_away', startMs: at(9, 30), endMs: at(10) }),
  makeFlag({ flagId: 'paste-2', kind: 'paste', startMs: at(10) }),
  makeFlag({ flagId: 'quality-1', kind: 'poor_quality', startMs: at(16), endMs: at(16, 30) }),
  makeFlag({ flagId: 'paste-3', kind: 'paste', startMs: at(17), review: 'dismissed' }),
  makeFlag({ flagId: 'away-2', kind: 'looking_away', startMs: at(19), endMs: null }),
];

const speakers: SpeakerInterval[] = [
  { role: 'candidate', startMs: at(10, 2), endMs: at(10, 40) },
  { role: 'interviewer', startMs: at(18, 50), endMs: at(19, 30) },
];

const input = { samples, flags, speakers, startMs: T0_MS, atMs: at(20), policy: DEFAULT_POLICY };

/** Renders contributions exactly as the table between the markers in SCORING.md. */
function breakdownTable(contributions: readonly ScoreContribution[]): string {
  const lines = [
    '| contribution | value | count | duration | points | uncapped |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of contributions) {
    lines.push(
      c.type === 'signal'
        ? `| signal ${c.signal} | ${c.value?.toFixed(2) ?? 'n/a'} | | | ${c.points.toFixed(1)} | |`
        : c.type === 'penalty'
          ? `| penalty ${c.kind} | | ${String(c.count)} | ${String(c.durationMs / SECOND_MS)} s | ` +
            `${c.points.toFixed(1)} | ${c.uncappedPoints.toFixed(1)} |`
          : `| share affected | ${c.share.toFixed(4)} | | ${String(c.affectedMs / SECOND_MS)} s | ` +
            `${c.points.toFixed(1)} | |`,
    );
  }
  return lines.join('\n');
}

describe('SCORING.md worked example', () => {
  const result = computeScore(input);

  test('scores 36 from base 95.4 minus 39.4 penalty points and 19.875 for the share affected', () => {
    expect(result.score).toBe(36);
    expect(result.base).toBeCloseTo(95.4, 9);
    const penalty = result.contributions
      .filter((c) => c.type === 'penalty')
      .reduce((sum, c) => sum + c.points, 0);
    expect(penalty).toBeCloseTo(-39.4, 9);
    const share = result.contributions.find((c) => c.type === 'share');
    expect(share).toMatchObject({ type: 'share', affectedMs: 159_000, share: 0.1325 });
    expect(share?.points).toBeCloseTo(-19.875, 9);
  });

  test('measures 1 080 s of 1 200 s: coverage 0.9', () => {
    expect(result.elapsedMs).toBe(20 * MINUTE_MS);
    expect(result.measuredMs).toBe(1_080_000);
    expect(result.coverage).toBe(0.9);
  });

  test.each([
    ['focusConsistency', 0.9, -2],
    ['gazeStability', 0.85, -1.8],
    ['calmHead', 0.9, -0.8],
  ] as const)('signal %s has mean %s and costs %s points', (signal, value, points) => {
    const c = result.contributions.find((x) => x.type === 'signal' && x.signal === signal);
    expect(c?.type).toBe('signal');
    if (c?.type !== 'signal') return;
    expect(c.value).toBeCloseTo(value, 9);
    expect(c.points).toBeCloseTo(points, 9);
  });

  test.each([
    ['copy', 10, 0, -12, -15],
    ['page_hidden', 1, 90_000, -11.5, -11.5],
    ['looking_away', 2, 90_000, -9.9, -9.9],
    ['paste', 2, 0, -6, -6],
  ] as const)(
    'penalty %s: %i flags, %i ms, %s points (uncapped %s)',
    (kind, count, durationMs, points, uncappedPoints) => {
      const c = result.contributions.find((x) => x.type === 'penalty' && x.kind === kind);
      expect(c?.type).toBe('penalty');
      if (c?.type !== 'penalty') return;
      expect(c.count).toBe(count);
      expect(c.durationMs).toBe(durationMs);
      expect(c.points).toBeCloseTo(points, 9);
      expect(c.uncappedPoints).toBeCloseTo(uncappedPoints, 9);
    },
  );

  test('lists no penalty for the measurement flag or the dismissed flag', () => {
    const kinds = result.contributions.flatMap((c) => (c.type === 'penalty' ? [c.kind] : []));
    expect(result.flagPoints?.['paste-3']).toBeUndefined();
    expect(result.flagPoints?.['quality-1']).toBeUndefined();
    expect(kinds).toEqual(['copy', 'page_hidden', 'looking_away', 'paste']);
  });

  test('the breakdown table in SCORING.md is the one the engine produces', () => {
    const documented =
      /<!-- worked-example-breakdown:start -->\n([\s\S]*?)\n<!-- worked-example-breakdown:end -->/.exec(
        scoringDoc,
      )?.[1];
    expect(documented).toBe(breakdownTable(result.contributions));
  });

  test('the documented final figures appear in SCORING.md', () => {
    expect(scoringDoc).toContain('round(95.4 − 39.4 − 19.875) = round(36.125) = **36**');
    expect(scoringDoc).toContain('coverage **0.9**');
  });

  test('the first look-away would cost 3.0 instead of 0.9 without the candidate answering', () => {
    const withoutAnswer = computeScore({
      ...input,
      speakers: speakers.filter((s) => s.role !== 'candidate'),
    });
    const lookingAway = (r: typeof result) =>
      r.contributions.find((c) => c.type === 'penalty' && c.kind === 'looking_away')?.points;
    expect(lookingAway(withoutAnswer)).toBeCloseTo(-12, 9);
    expect(lookingAway(result)).toBeCloseTo(-9.9, 9);
  });

  test('dismissing the page_hidden flag would give 59', () => {
    const dismissed = flags.map((f): Flag =>
      f.flagId === 'hidden-1' ? { ...f, review: 'dismissed' } : f,
    );
    expect(computeScore({ ...input, flags: dismissed }).score).toBe(59);
  });
});
