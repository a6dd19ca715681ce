/**
 * How fast to analyse the camera. Reading detection keys on return sweeps that last a frame or
 * two, so analysis runs faster (ANSWERING_FPS) while the candidate answers, when it matters, and
 * at the policy's rate otherwise to spare the device. A device that cannot keep up at the faster
 * rate (the pump drops the frames the analyser is still busy with) goes back to the base rate
 * for a while instead of wasting frames. Pure: the monitor passes times and measured rates.
 */
export const ANSWERING_FPS = 15;
/** Speech this recent still counts as answering (pauses within an answer). */
export const ANSWERING_HOLD_MS = 20_000;
/** Below this share of the faster rate, the device is not keeping up. */
const SUSTAIN_SHARE = 0.8;
/** Consecutive short-falling one-second windows before backing off. */
const SHORT_WINDOWS_TO_BACK_OFF = 3;
/** How long to stay at the base rate after backing off. */
export const BACK_OFF_MS = 60_000;

export interface AnalysisRate {
  /** The candidate was heard speaking at `atMs` (their own audio level or LiveKit's speakers). */
  spoke(atMs: number): void;
  /** One summarised second: the rate actually achieved in it and the rate asked for. */
  window(endMs: number, analysedFps: number, askedFps: number): void;
  /** The rate to ask for at `nowMs`. */
  targetFps(nowMs: number): number;
}

export function createAnalysisRate(baseFps: number, fastFps = ANSWERING_FPS): AnalysisRate {
  let lastSpokeMs = Number.NEGATIVE_INFINITY;
  let shortWindows = 0;
  let backOffUntilMs = Number.NEGATIVE_INFINITY;
  return {
    spoke(atMs) {
      if (Number.isFinite(atMs)) lastSpokeMs = Math.max(lastSpokeMs, atMs);
    },
    window(endMs, analysedFps, askedFps) {
      if (askedFps <= baseFps) {
        shortWindows = 0;
        return;
      }
      shortWindows = analysedFps < SUSTAIN_SHARE * askedFps ? shortWindows + 1 : 0;
      if (shortWindows >= SHORT_WINDOWS_TO_BACK_OFF) {
        backOffUntilMs = endMs + BACK_OFF_MS;
        shortWindows = 0;
      }
    },
    targetFps(nowMs) {
      if (fastFps <= baseFps) return baseFps;
      if (nowMs < backOffUntilMs) return baseFps;
      return nowMs - lastSpokeMs <= ANSWERING_HOLD_MS ? fastFps : baseFps;
    },
  };
}
