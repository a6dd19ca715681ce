import type { CandidateMessage } from '../../shared/protocol/data-message';

/**
 * How far the candidate's clock may differ from the server's. Candidate times are epoch
 * milliseconds on the device's own clock; NTP-synchronised devices differ by well under a
 * second, so two minutes tolerates a badly set clock and still refuses a sample dated hours away
 * (which would otherwise stretch the interview's duration and dilute its coverage).
 */
export const CLOCK_SKEW_MS = 2 * 60_000;

export interface InterviewLife {
  /** When the interview went live on the server's clock (the record's started_at). */
  startedAtMs: number;
  /** The server's clock now. */
  nowMs: number;
}

/**
 * The bounds that need the server's clock, checked after the schema (which already bounds every
 * number to its physical range): every time a message carries must fall within the interview's
 * life so far, widened by CLOCK_SKEW_MS on each side. Durations are then within the interview
 * too, since the schema keeps them between their start and end. Returns the reason for a
 * refusal, or null when the message is within bounds.
 */
export function outOfBounds(message: CandidateMessage, life: InterviewLife): string | null {
  const earliestMs = life.startedAtMs - CLOCK_SKEW_MS;
  const latestMs = life.nowMs + CLOCK_SKEW_MS;
  const times: [string, number | null][] =
    message.type === 'metric_sample'
      ? [
          ['windowStartMs', message.windowStartMs],
          ['windowEndMs', message.windowEndMs],
        ]
      : [
          ['startMs', message.startMs],
          ['endMs', message.endMs],
        ];
  for (const [field, value] of times) {
    if (value === null) continue;
    if (value < earliestMs) {
      return `${field}: ${describe(earliestMs - value)} before the interview started (skew allowed: ${describe(CLOCK_SKEW_MS)})`;
    }
    if (value > latestMs) {
      return `${field}: ${describe(value - life.nowMs)} in the future (skew allowed: ${describe(CLOCK_SKEW_MS)})`;
    }
  }
  return null;
}

function describe(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${Math.round(ms / 1000)} s`;
}
