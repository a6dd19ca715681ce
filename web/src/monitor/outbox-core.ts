import type { Ack, CandidateMessage } from '../../../shared/protocol/data-message';

/**
 * The bookkeeping of reliable delivery, without LiveKit: which messages are still unacknowledged,
 * which are due to be sent (again), and what a cumulative ack releases.
 *
 * Why: LiveKit's "reliable" data is reliable only within one connection; across a reconnect (or
 * a recorder that rejoins) packets can be lost. Every message therefore carries this page load's
 * `stream` and a `seq` that increases across samples and events, stays here until the recorder's
 * Ack covers it (`upToSeq` cumulative, `seqs` selective), and is re-sent when unacknowledged, with
 * exponential back-off per message (`resendAfterMs`, doubled after each unanswered send up to
 * `maxResendAfterMs`), or at once when the caller knows the path was broken (`markAllDue`, which
 * also restarts the back-off). The recorder de-duplicates by (stream, seq), so a re-send is
 * harmless, but without back-off a recorder that stops answering would be sent the whole
 * backlog every few seconds for the rest of the interview.
 *
 * The first wait adapts to how long acks take (TCP's retransmission timer, RFC 6298): the
 * smoothed ack round trip plus four times its variation, never below `resendAfterMs`. Only
 * messages sent once give a round trip (Karn's rule: the ack of a re-sent message may answer
 * either send), so when acks are slower than the timer, no message would ever give one; as in
 * TCP, a re-send on timeout therefore doubles the wait for everything sent after it, at most
 * once per wait, until a round trip is measured again. Why: a fixed 3 s timer turned a busy recorder (acks 4-10 s late) into a re-send
 * storm: every message went out two or three times, which made the recorder busier still.
 *
 * Order: messages posted in the last `freshMs` and never sent go first, so a backlog being
 * drained at a paced rate (see outbox.ts) never delays what is happening now; then messages not
 * sent since the last path break, then re-sends, each lowest seq first (a re-send must not keep
 * the rest of a backlog from going out at all).
 *
 * Memory is bounded: above `maxPending`, the OLDEST samples are dropped (and counted); events are
 * never dropped, they are few and each one matters to the reviewer.
 */
export interface OutboxCoreOptions {
  stream: string;
  maxPending?: number;
  /** Wait before the first re-send of an unacknowledged message; doubled after each. */
  resendAfterMs?: number;
  /** Longest wait between re-sends of one message. */
  maxResendAfterMs?: number;
  /** How long a new, never-sent message keeps its place ahead of the backlog. */
  freshMs?: number;
}

export interface OutboxStats {
  pending: number;
  pendingEvents: number;
  /** Samples dropped unacknowledged because the outbox was full. */
  droppedSamples: number;
  /** Highest cumulative ack received; -1 before any. */
  ackedUpToSeq: number;
  sent: number;
  resent: number;
  /** Smoothed ack round trip, ms; null before the first ack of a message sent once. */
  ackRttMs: number | null;
  /** The current first wait before a re-send, ms (see the adaptive timer above). */
  resendAfterMs: number;
}

export interface OutboxCore {
  readonly stream: string;
  /** The sequence number the next message gets; `add` of that message advances it. */
  peekSeq(): number;
  /** Keeps a message until acknowledged; it is due at once. */
  add(message: CandidateMessage, nowMs?: number): void;
  /** Messages to send now (never sent, or whose back-off has run out): fresh ones first. */
  due(nowMs: number, limit?: number): CandidateMessage[];
  markSent(seq: number, nowMs: number): void;
  /** Everything pending is due now (after a reconnect, or when the recorder (re)joins). */
  markAllDue(): void;
  /**
   * Applies an ack for this stream; returns how many messages it released. `nowMs`, when given,
   * times the round trip that adapts the re-send timer.
   */
  ack(ack: Ack, nowMs?: number): number;
  /** Forgets one message that can never be delivered (too large to send). */
  discard(seq: number): boolean;
  pendingCount(): number;
  stats(): OutboxStats;
}

export const DEFAULT_MAX_PENDING = 2000;
export const DEFAULT_RESEND_AFTER_MS = 3000;
export const DEFAULT_MAX_RESEND_AFTER_MS = 60_000;
export const DEFAULT_FRESH_MS = 5000;

interface Entry {
  message: CandidateMessage;
  addedAtMs: number;
  /** When it is due (again); 0 = now. */
  dueAtMs: number;
  /** Sends since the last path break: the back-off exponent. */
  attempts: number;
  sendCount: number;
  lastSentAtMs: number;
}

export function createOutboxCore(options: OutboxCoreOptions): OutboxCore {
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  const resendAfterMs = options.resendAfterMs ?? DEFAULT_RESEND_AFTER_MS;
  const maxResendAfterMs = Math.max(
    resendAfterMs,
    options.maxResendAfterMs ?? DEFAULT_MAX_RESEND_AFTER_MS,
  );
  const freshMs = options.freshMs ?? DEFAULT_FRESH_MS;
  /** By seq; insertion order is seq order because seqs are handed out in order. */
  const pending = new Map<number, Entry>();
  let seq = 0;
  let pendingEvents = 0;
  let droppedSamples = 0;
  let ackedUpToSeq = -1;
  let sent = 0;
  let resent = 0;
  let srttMs: number | null = null;
  let rttVarMs = 0;
  /** Doubled by a re-send on timeout (at most once per wait), reset by a measured round trip. */
  let timeoutBackoff = 1;
  let backedOffAtMs = Number.NEGATIVE_INFINITY;

  /** RFC 6298's srtt + 4 rttvar, within [resendAfterMs, maxResendAfterMs]. */
  function measuredWaitMs(): number {
    const measured = srttMs === null ? resendAfterMs : srttMs + 4 * rttVarMs;
    return Math.min(maxResendAfterMs, Math.max(resendAfterMs, measured));
  }

  /** A first send's wait: the measured one, backed off after timeouts. */
  function firstWaitMs(): number {
    return Math.min(maxResendAfterMs, measuredWaitMs() * timeoutBackoff);
  }

  function noteRoundTrip(rttMs: number): void {
    if (!(rttMs >= 0) || !Number.isFinite(rttMs)) return;
    if (srttMs === null) {
      srttMs = rttMs;
      rttVarMs = rttMs / 2;
    } else {
      rttVarMs = 0.75 * rttVarMs + 0.25 * Math.abs(srttMs - rttMs);
      srttMs = 0.875 * srttMs + 0.125 * rttMs;
    }
    timeoutBackoff = 1;
  }

  function remove(key: number): boolean {
    const entry = pending.get(key);
    if (entry === undefined) return false;
    pending.delete(key);
    if (entry.message.type === 'integrity_event') pendingEvents -= 1;
    return true;
  }

  function enforceBound(): void {
    if (pending.size <= maxPending) return;
    for (const [key, entry] of pending) {
      if (pending.size <= maxPending) return;
      if (entry.message.type !== 'metric_sample') continue;
      pending.delete(key);
      droppedSamples += 1;
    }
  }

  return {
    stream: options.stream,

    peekSeq: () => seq,

    add(message, nowMs = 0) {
      if (message.stream !== options.stream) {
        throw new Error(`message of stream ${message.stream} added to outbox ${options.stream}`);
      }
      if (message.seq >= seq) seq = message.seq + 1;
      if (message.seq <= ackedUpToSeq || pending.has(message.seq)) return;
      pending.set(message.seq, {
        message,
        addedAtMs: nowMs,
        dueAtMs: 0,
        attempts: 0,
        sendCount: 0,
        lastSentAtMs: 0,
      });
      if (message.type === 'integrity_event') pendingEvents += 1;
      enforceBound();
    },

    due(nowMs, limit = Number.POSITIVE_INFINITY) {
      const fresh: Entry[] = [];
      const unsent: Entry[] = [];
      const again: Entry[] = [];
      // Map order is seq order (seqs are handed out in order), so each list comes out sorted.
      for (const entry of pending.values()) {
        if (entry.dueAtMs > nowMs) continue;
        if (entry.attempts > 0) again.push(entry);
        else if (entry.sendCount === 0 && nowMs - entry.addedAtMs < freshMs) fresh.push(entry);
        else unsent.push(entry);
      }
      return [...fresh, ...unsent, ...again].slice(0, limit).map((e) => e.message);
    },

    markSent(key, nowMs) {
      const entry = pending.get(key);
      if (entry === undefined) return;
      if (entry.attempts > 0 && nowMs - backedOffAtMs >= firstWaitMs()) {
        // A re-send because the ack did not come in time (markAllDue zeroes attempts).
        timeoutBackoff = Math.min(timeoutBackoff * 2, 64);
        backedOffAtMs = nowMs;
      }
      // A message's own re-sends back off from the measured wait; the shared back-off above
      // only lengthens first sends, so one silent message's schedule is the same as before.
      entry.dueAtMs =
        nowMs +
        (entry.attempts === 0
          ? firstWaitMs()
          : Math.min(maxResendAfterMs, measuredWaitMs() * 2 ** entry.attempts));
      entry.lastSentAtMs = nowMs;
      entry.attempts += 1;
      entry.sendCount += 1;
      sent += 1;
      if (entry.sendCount > 1) resent += 1;
    },

    markAllDue() {
      // A new path: the timeouts were the broken path's, not slow acks.
      timeoutBackoff = 1;
      for (const entry of pending.values()) {
        entry.dueAtMs = 0;
        entry.attempts = 0;
      }
    },

    ack(ack, nowMs) {
      if (ack.stream !== options.stream) return 0;
      let released = 0;
      // The newest single send this ack answers: one round-trip sample per ack (a cumulative
      // ack also releases older messages, whose wait includes time before this send).
      let newestSendMs = Number.NEGATIVE_INFINITY;
      const release = (key: number): void => {
        const entry = pending.get(key);
        if (entry === undefined) return;
        if (entry.sendCount === 1) newestSendMs = Math.max(newestSendMs, entry.lastSentAtMs);
        remove(key);
        released += 1;
      };
      if (ack.upToSeq > ackedUpToSeq) {
        ackedUpToSeq = ack.upToSeq;
        for (const key of [...pending.keys()]) {
          if (key > ack.upToSeq) continue;
          release(key);
        }
      }
      for (const key of ack.seqs ?? []) release(key);
      if (nowMs !== undefined && Number.isFinite(newestSendMs)) noteRoundTrip(nowMs - newestSendMs);
      return released;
    },

    discard: (key) => remove(key),

    pendingCount: () => pending.size,

    stats: () => ({
      pending: pending.size,
      pendingEvents,
      droppedSamples,
      ackedUpToSeq,
      sent,
      resent,
      ackRttMs: srttMs,
      resendAfterMs: firstWaitMs(),
    }),
  };
}
