import { useEffect, useState } from 'react';

/**
 * Milliseconds since `sinceMs` (a Date.now() instant), ticking once a second; null while there
 * is no start. The clock is injectable for tests.
 */
export function useElapsed(sinceMs: number | null, now: () => number = Date.now): number | null {
  const [nowMs, setNowMs] = useState(now);
  useEffect(() => {
    if (sinceMs === null) return undefined;
    setNowMs(now());
    const timer = setInterval(() => setNowMs(now()), 1000);
    return () => clearInterval(timer);
  }, [sinceMs, now]);
  return sinceMs === null ? null : Math.max(0, nowMs - sinceMs);
}
