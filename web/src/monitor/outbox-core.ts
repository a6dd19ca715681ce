import type { Ack, CandidateMessage } from '../../../shared/protocol/data-message';

/**
 * The bookkeeping of reliable delivery, without LiveKit: which messages are still unacknowledged,
 * which are due to be sent (again), and what a cumulative ack releases.
 *
 * Why: LiveKit's "reliable" data is reliable only within one connection; across a reconnect (or
 * a recorder that rejoins) packets can be lost. Every message therefore carries this page load's
 * `stream` and a `seq` that increases across samples and events, stays here until the recorder's
 * Ack covers it (`upToSeq` cumulative, `seqs` selective), and is re-sent when unacknowledged for
 * `resendAfterMs` or when the caller knows the path was broken (`markAllDue`). The recorder
 * de-duplicates by (stream, seq), so a re-send is always harmless.
 *
 * Memory is bounded: above `maxPending`, the OLDEST samples are dropped (and counted); events are
 * never dropped, they are few and each one matters to the reviewer.
 */
export interface OutboxCoreOptions {
  stream: string;
  maxPending?: number;
  resendAfterMs?: number;
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
}

export interface OutboxCore {
  readonly stream: string;
  /** The sequence number the next message gets; `add` of that message advances it. */
  peekSeq(): number;
  /** Keeps a message until acknowledged; it is due at once. */
  add(message: CandidateMessage): void;
  /** Messages to send now, lowest seq first: never sent, or sent `resendAfterMs` ago or more. */
  due(nowMs: number, limit?: number): CandidateMessage[];
  markSent(seq: number, nowMs: number): void;
  /** Everything pending is due now (after a reconnect, or when the recorder (re)joins). */
  markAllDue(): void;
  /** Applies an ack for this stream; returns how many messages it released. */
  ack(ack: Ack): number;
  /** Forgets one message that can never be delivered (too large to send). */
  discard(seq: number): boolean;
  pendingCount(): number;
  stats(): OutboxStats;
}

export const DEFAULT_MAX_PENDING = 2000;
export const DEFAULT_RESEND_AFTER_MS = 3000;

interface Entry {
  message: CandidateMessage;
  /** When last handed to LiveKit; null = never, or due again. */
  sentAtMs: number | null;
  sendCount: number;
}

export function createOutboxCore(options: OutboxCoreOptions): OutboxCore {
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  const resendAfterMs = options.resendAfterMs ?? DEFAULT_RESEND_AFTER_MS;
  /** By seq; insertion order is seq order because seqs are handed out in order. */
  const pending = new Map<number, Entry>();
  let seq = 0;
  let pendingEvents = 0;
  let droppedSamples = 0;
  let ackedUpToSeq = -1;
  let sent = 0;
  let resent = 0;

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

    add(message) {
      if (message.stream !== options.stream) {
        throw new Error(`message of stream ${message.stream} added to outbox ${options.stream}`);
      }
      if (message.seq >= seq) seq = message.seq + 1;
      if (message.seq <= ackedUpToSeq || pending.has(message.seq)) return;
      pending.set(message.seq, { message, sentAtMs: null, sendCount: 0 });
      if (message.type === 'integrity_event') pendingEvents += 1;
      enforceBound();
    },

    due(nowMs, limit = Number.POSITIVE_INFINITY) {
      const out: CandidateMessage[] = [];
      const entries = [...pending.values()].sort((a, b) => a.message.seq - b.message.seq);
      for (const entry of entries) {
        if (out.length >= limit) break;
        if (entry.sentAtMs === null || nowMs - entry.sentAtMs >= resendAfterMs)
          out.push(entry.message);
      }
      return out;
    },

    markSent(key, nowMs) {
      const entry = pending.get(key);
      if (entry === undefined) return;
      entry.sentAtMs = nowMs;
      entry.sendCount += 1;
      sent += 1;
      if (entry.sendCount > 1) resent += 1;
    },

    markAllDue() {
      for (const entry of pending.values()) entry.sentAtMs = null;
    },

    ack(ack) {
      if (ack.stream !== options.stream) return 0;
      let released = 0;
      if (ack.upToSeq > ackedUpToSeq) {
        ackedUpToSeq = ack.upToSeq;
        for (const key of [...pending.keys()]) {
          if (key <= ack.upToSeq && remove(key)) released += 1;
        }
      }
      for (const key of ack.seqs ?? []) {
        if (remove(key)) released += 1;
      }
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
    }),
  };
}
