/**
 * A token bucket: `capacity` packets at once, refilled at `ratePerS`. Honest candidates send
 * about one sample a second plus a few events, and after an outage their paced re-send drain
 * (web/src/monitor/outbox.ts, at most 20 messages/s) stays below the refill rate, while the
 * burst capacity covers the packets queued during a reconnect.
 */
export interface RateLimitOptions {
  ratePerS: number;
  capacity: number;
}

/** Packets per second and burst per participant on the evidence topic. */
export const EVIDENCE_RATE_LIMIT: RateLimitOptions = { ratePerS: 30, capacity: 300 };

export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number | null = null;

  constructor(private readonly options: RateLimitOptions) {
    this.tokens = options.capacity;
  }

  /** Takes one token if there is one; false means the packet is over the limit. */
  take(nowMs: number): boolean {
    if (this.updatedAtMs !== null) {
      const elapsedS = Math.max(0, nowMs - this.updatedAtMs) / 1000;
      this.tokens = Math.min(this.options.capacity, this.tokens + elapsedS * this.options.ratePerS);
    }
    this.updatedAtMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
