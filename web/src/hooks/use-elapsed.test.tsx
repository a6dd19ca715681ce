import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { useElapsed } from './use-elapsed';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(100_000);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useElapsed', () => {
  test('is null without a start', () => {
    const { result } = renderHook(() => useElapsed(null));
    expect(result.current).toBeNull();
  });

  test('ticks once a second from the start', () => {
    const { result } = renderHook(() => useElapsed(95_000));
    expect(result.current).toBe(5_000);
    act(() => {
      vi.advanceTimersByTime(3_000);
    });
    expect(result.current).toBe(8_000);
  });

  test('stops ticking when the start goes away', () => {
    const initialProps: { since: number | null } = { since: 95_000 };
    const { result, rerender } = renderHook(({ since }) => useElapsed(since), { initialProps });
    rerender({ since: null });
    expect(result.current).toBeNull();
    expect(vi.getTimerCount()).toBe(0);
  });
});
