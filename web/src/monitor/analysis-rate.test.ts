import { describe, expect, it } from 'vitest';
import { ANSWERING_FPS, ANSWERING_HOLD_MS, BACK_OFF_MS, createAnalysisRate } from './analysis-rate';

describe('createAnalysisRate', () => {
  it('runs at the base rate until the candidate speaks, faster while answering, then back', () => {
    const rate = createAnalysisRate(10);
    expect(rate.targetFps(0)).toBe(10);
    rate.spoke(1000);
    expect(rate.targetFps(1000)).toBe(ANSWERING_FPS);
    expect(rate.targetFps(1000 + ANSWERING_HOLD_MS)).toBe(ANSWERING_FPS);
    expect(rate.targetFps(1001 + ANSWERING_HOLD_MS)).toBe(10);
  });

  it('backs off to the base rate when the device cannot sustain the faster one', () => {
    const rate = createAnalysisRate(10);
    rate.spoke(0);
    rate.window(1000, 9, ANSWERING_FPS);
    rate.window(2000, 9, ANSWERING_FPS);
    expect(rate.targetFps(2000)).toBe(ANSWERING_FPS);
    rate.window(3000, 9, ANSWERING_FPS);
    rate.spoke(3000);
    expect(rate.targetFps(3000)).toBe(10);
    rate.spoke(3000 + BACK_OFF_MS);
    expect(rate.targetFps(3001 + BACK_OFF_MS)).toBe(ANSWERING_FPS);
  });

  it('a window that keeps up resets the count of short ones', () => {
    const rate = createAnalysisRate(10);
    rate.spoke(0);
    for (const [end, fps] of [
      [1000, 9],
      [2000, 9],
      [3000, 14.9],
      [4000, 9],
      [5000, 9],
    ] as const) {
      rate.window(end, fps, ANSWERING_FPS);
    }
    expect(rate.targetFps(5000)).toBe(ANSWERING_FPS);
  });

  it('never goes below the base rate when the base is already fast', () => {
    const rate = createAnalysisRate(20);
    rate.spoke(0);
    expect(rate.targetFps(0)).toBe(20);
  });
});
