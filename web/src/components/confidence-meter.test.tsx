import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import type { ScoreResult } from '../../../shared/scoring/score-result';
import { ConfidenceMeter, bandOf } from './confidence-meter';

afterEach(cleanup);

function result(score: number, coverage = 0.9): ScoreResult {
  return { score, base: score, coverage, measuredMs: 9000, elapsedMs: 10_000, contributions: [] };
}

describe('ConfidenceMeter', () => {
  test('shows no score before the candidate has sent data, only the wait and the meaning', () => {
    render(<ConfidenceMeter result={result(100)} hasData={false} />);
    expect(screen.queryByRole('meter')).toBeNull();
    expect(screen.getByRole('status').textContent).toMatch(/Waiting for the candidate/);
    expect(screen.queryByText('100')).toBeNull();
    expect(screen.getByText(/not the candidate’s self-confidence/)).toBeTruthy();
  });

  test.each([
    [100, 'Few signals'],
    [80, 'Few signals'],
    [79, 'Some signals'],
    [50, 'Some signals'],
    [49, 'Many signals'],
    [0, 'Many signals'],
  ])('score %i is named %s in visible text and in the meter value', (score, word) => {
    expect(bandOf(score).word).toBe(word);
    render(<ConfidenceMeter result={result(score)} hasData />);
    const meter = screen.getByRole('meter', { name: 'Confidence score' });
    expect(meter.getAttribute('aria-valuenow')).toBe(String(score));
    expect(meter.getAttribute('aria-valuetext')).toContain(word.toLowerCase());
    // The band word is visible text beside the number, not colour alone (the legend repeats it).
    expect(screen.getAllByText(word).some((el) => el.className.includes('meter-band'))).toBe(true);
    expect(screen.getByText(String(score)).className).toBe('meter-number');
  });

  test('shows the coverage beside the score and warns when it is low', () => {
    render(<ConfidenceMeter result={result(90, 0.3)} hasData />);
    expect(screen.getByText('measured 30% of the time')).toBeTruthy();
    expect(screen.getByText(/Low coverage/)).toBeTruthy();
  });

  test('has a legend of every band', () => {
    render(<ConfidenceMeter result={null} hasData={false} />);
    const legend = screen.getByRole('list', { name: 'Score bands' });
    expect(legend.textContent).toContain('80–100: Few signals');
    expect(legend.textContent).toContain('50–79: Some signals');
    expect(legend.textContent).toContain('0–49: Many signals');
  });
});
