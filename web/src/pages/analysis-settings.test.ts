import { describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../../../shared/policy/policy';
import { DEFAULT_ANALYSIS_SETTINGS, policyFor } from './analysis-settings';

describe('policyFor', () => {
  test('the defaults give the default policy', () => {
    expect(policyFor(DEFAULT_ANALYSIS_SETTINGS)).toEqual(DEFAULT_POLICY);
  });
  test('only the analysis rate changes', () => {
    const policy = policyFor({ delegate: 'GPU', targetFps: 5 });
    expect(policy.tracking.targetFps).toBe(5);
    expect(policy.scoring).toEqual(DEFAULT_POLICY.scoring);
  });
  test.each([0, 31, Number.NaN])('a rate of %s is refused by the policy schema', (targetFps) => {
    expect(() => policyFor({ delegate: 'CPU', targetFps })).toThrow();
  });
});
