/**
 * Decides which camera frames to analyse so that the long-run rate matches the target, whatever
 * the camera's own rate (15, 30 or 60 fps) or the jitter of the callbacks that deliver frames.
 *
 * A frame is taken when it arrives no earlier than `toleranceMs` before the next due time; the
 * due time then advances by one interval from where it was (not from the frame), so a 15 fps
 * camera sampled at 10/s alternates 1- and 2-frame gaps and still averages 10/s. After a pause
 * (hidden page, stalled camera) the due time restarts from the present instead of catching up,
 * so a gap never turns into a burst.
 */
export interface FramePacer {
  /** Whether the frame seen at `nowMs` should be analysed; consumes the slot if so. */
  take(nowMs: number): boolean;
  readonly intervalMs: number;
}

/** Early arrival still accepted, so a camera running at exactly the target rate is not halved. */
const MAX_TOLERANCE_MS = 20;

export function createFramePacer(targetFps: number | 'unlimited'): FramePacer {
  if (targetFps === 'unlimited') return { take: () => true, intervalMs: 0 };
  if (!(targetFps > 0) || !Number.isFinite(targetFps)) {
    throw new RangeError(`targetFps must be a positive number, got ${String(targetFps)}`);
  }
  const intervalMs = 1000 / targetFps;
  const toleranceMs = Math.min(intervalMs / 2, MAX_TOLERANCE_MS);
  let nextDueMs = Number.NEGATIVE_INFINITY;
  return {
    intervalMs,
    take(nowMs) {
      if (nowMs < nextDueMs - toleranceMs) return false;
      // Late by more than an interval: restart the phase from now rather than catch up.
      const phaseMs = nowMs - nextDueMs > intervalMs ? nowMs : nextDueMs;
      nextDueMs = phaseMs + intervalMs;
      return true;
    },
  };
}
