import { useCallback, useEffect, useRef, useState } from 'react';
import {
  startCandidateMonitor,
  type CandidateMonitor,
  type CandidateMonitorOptions,
  type CandidateNotice,
  type MonitorStatus,
} from './candidate-monitor';

/** The monitor's options without its callbacks: the hook turns those into state. */
export type UseCandidateMonitorOptions = Omit<CandidateMonitorOptions, 'onStatus' | 'onNotices'>;

export interface UseCandidateMonitorResult {
  status: MonitorStatus | null;
  notices: readonly CandidateNotice[];
  recalibrate: () => void;
}

/**
 * Runs the candidate monitor while `options` is non-null; a new options object restarts it, so
 * memoise it (the page builds it once per connection). Stops on unmount.
 */
export function useCandidateMonitor(
  options: UseCandidateMonitorOptions | null,
): UseCandidateMonitorResult {
  const [status, setStatus] = useState<MonitorStatus | null>(null);
  const [notices, setNotices] = useState<readonly CandidateNotice[]>([]);
  const monitor = useRef<CandidateMonitor | null>(null);

  useEffect(() => {
    if (options === null) return undefined;
    // Callbacks after cleanup (the stop drains asynchronously) must not touch the state.
    let live = true;
    const started = startCandidateMonitor({
      ...options,
      onStatus: (next) => {
        if (live) setStatus(next);
      },
      onNotices: (next) => {
        if (live) setNotices(next);
      },
    });
    monitor.current = started;
    return () => {
      live = false;
      if (monitor.current === started) monitor.current = null;
      void started.stop();
      setStatus(null);
      setNotices([]);
    };
  }, [options]);

  const recalibrate = useCallback(() => monitor.current?.recalibrate(), []);
  return { status, notices, recalibrate };
}
