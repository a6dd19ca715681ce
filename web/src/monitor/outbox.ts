import { ConnectionState, RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';
import {
  CandidateMessageSchema,
  DATA_TOPIC,
  RecorderMessageSchema,
  decodePacket,
  encodePacket,
  formatIssues,
  MAX_PACKET_BYTES,
  type CandidateMessage,
  type Drained,
} from '../../../shared/protocol/data-message';
import { randomId } from './events';
import { monitorLog } from './monitor-log';
import { createOutboxCore, type OutboxCore, type OutboxStats } from './outbox-core';

/**
 * Reliable delivery of samples and events to the hidden recorder participant over LiveKit data
 * (see outbox-core.ts for the rules). This file is the LiveKit adapter: it publishes what the
 * core says is due, at a paced rate, feeds it the recorder's acks, and makes everything due again
 * when the path was broken (Reconnected, a new connection, or the recorder's `recorder_ready`
 * after it (re)joined, since LiveKit hides the hidden recorder's arrival).
 *
 * The handshake: the page sends nothing until the recorder's `recorder_ready` says it knows this
 * participant (LiveKit names a packet's sender only once the recorder has seen it join; unnamed
 * packets are refused). If no greeting comes within `readyFallbackMs`, it sends anyway: a
 * refused message is simply re-sent with back-off.
 */
export interface OutboxOptions {
  room: Room;
  recorderIdentity: string;
  /** Per page load; default random. Must match /^[A-Za-z0-9_-]{8,40}$/. */
  stream?: string;
  nowMs?: () => number;
  maxPending?: number;
  resendAfterMs?: number;
  maxResendAfterMs?: number;
  /** Paced drain: at most this many messages a second on average, `sendBurst` at once. */
  sendRatePerS?: number;
  sendBurst?: number;
  /** How often due messages are looked for besides on every post. */
  checkIntervalMs?: number;
  readyFallbackMs?: number;
}

export interface Outbox {
  readonly stream: string;
  /**
   * Builds a message around the next seq, checks it against the protocol schema, keeps it until
   * acknowledged and sends it. An invalid message is logged and returns null WITHOUT using up
   * the seq: the recorder's cumulative ack needs a gap-free sequence.
   */
  post<M extends CandidateMessage>(build: (header: { stream: string; seq: number }) => M): M | null;
  stats(): OutboxStats;
  /** Sends what is due and waits (at most `timeoutMs`) until everything is acknowledged. */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): void;
}

/**
 * 20 messages/s is 20x what an honest page produces (one sample a second plus a few events),
 * so a 10-minute backlog drains in 30 s, while staying below the recorder's per-participant
 * rate limit (server/recorder/rate-limit.ts) with room for the live messages.
 */
export const DEFAULT_SEND_RATE_PER_S = 20;
export const DEFAULT_SEND_BURST = 20;
export const DEFAULT_CHECK_INTERVAL_MS = 250;
export const DEFAULT_READY_FALLBACK_MS = 5000;
/** Time kept back from the recorder's `closing` deadline for the `drained` answer to travel. */
const CLOSING_MARGIN_MS = 1000;

export function createOutbox(options: OutboxOptions): Outbox {
  const { room, recorderIdentity } = options;
  const nowMs = options.nowMs ?? Date.now;
  const core: OutboxCore = createOutboxCore({
    stream: options.stream ?? randomId(22),
    maxPending: options.maxPending,
    resendAfterMs: options.resendAfterMs,
    maxResendAfterMs: options.maxResendAfterMs,
  });
  const ratePerS = options.sendRatePerS ?? DEFAULT_SEND_RATE_PER_S;
  const burst = options.sendBurst ?? DEFAULT_SEND_BURST;
  const readyFallbackMs = options.readyFallbackMs ?? DEFAULT_READY_FALLBACK_MS;
  let tokens = burst;
  let tokensAtMs = nowMs();
  let flushing = false;
  let flushAgain = false;
  let stopped = false;
  let failureLogged = false;
  /** The recorder said it knows us on this connection. */
  let greeted = false;
  let connectedAtMs = nowMs();
  const ackWaiters = new Set<() => void>();

  function mayPublish(): boolean {
    if (stopped || room.state !== ConnectionState.Connected) return false;
    return greeted || nowMs() - connectedAtMs >= readyFallbackMs;
  }

  function takeTokens(): number {
    const now = nowMs();
    tokens = Math.min(burst, tokens + (Math.max(0, now - tokensAtMs) / 1000) * ratePerS);
    tokensAtMs = now;
    return Math.floor(tokens);
  }

  async function publishBytes(bytes: Uint8Array): Promise<void> {
    // publishData wants ArrayBuffer-backed bytes; encodePacket's type allows shared ones.
    await room.localParticipant.publishData(new Uint8Array(bytes), {
      reliable: true,
      topic: DATA_TOPIC,
      destinationIdentities: [recorderIdentity],
    });
  }

  async function publish(message: CandidateMessage): Promise<void> {
    const bytes = encodePacket(message);
    if (bytes.byteLength > MAX_PACKET_BYTES) {
      // The recorder would reject it; keeping it would only re-send it forever.
      monitorLog.warn('message too large for the data channel, dropped', {
        type: message.type,
        seq: message.seq,
        bytes: bytes.byteLength,
      });
      core.discard(message.seq);
      return;
    }
    tokens -= 1;
    await publishBytes(bytes);
    core.markSent(message.seq, nowMs());
  }

  async function flush(): Promise<void> {
    if (flushing) {
      flushAgain = true;
      return;
    }
    flushing = true;
    try {
      do {
        flushAgain = false;
        // While reconnecting, publishing fails or is lost: the Reconnected handler resends.
        if (!mayPublish()) break;
        const allowed = takeTokens();
        if (allowed <= 0) break; // the check timer comes back when tokens have refilled
        const batch = core.due(nowMs(), allowed);
        for (const message of batch) await publish(message);
        if (batch.length === allowed) flushAgain = true;
      } while (flushAgain);
      failureLogged = false;
    } catch (error) {
      // Kept and re-sent by the next check; one warning per run of failures.
      if (!failureLogged) {
        failureLogged = true;
        monitorLog.warn('publishing to the recorder failed; will retry', { error: String(error) });
      }
    } finally {
      flushing = false;
    }
  }

  const resendAll = (): void => {
    core.markAllDue();
    void flush();
  };

  /** A new connection (our own rejoin): wait for the recorder's greeting again. */
  const onConnected = (): void => {
    greeted = false;
    connectedAtMs = nowMs();
    resendAll();
  };
  const onDisconnected = (): void => {
    greeted = false;
  };

  async function drain(timeoutMs: number): Promise<boolean> {
    const deadlineMs = nowMs() + timeoutMs;
    await flush();
    while (core.pendingCount() > 0 && nowMs() < deadlineMs && !stopped) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          ackWaiters.delete(wake);
          clearTimeout(timeout);
          resolve();
        };
        const timeout = setTimeout(wake, Math.min(250, Math.max(0, deadlineMs - nowMs())));
        ackWaiters.add(wake);
      });
      await flush();
    }
    return core.pendingCount() === 0;
  }

  /** The interview is being completed: send what is held, then say so within the deadline. */
  async function answerClosing(deadlineMs: number): Promise<void> {
    const drained = await drain(Math.max(0, deadlineMs - CLOSING_MARGIN_MS));
    const answer: Drained = {
      type: 'drained',
      v: 1,
      stream: core.stream,
      pending: core.pendingCount(),
    };
    monitorLog.info('outbox drained for completion', { drained, pending: answer.pending });
    await publishBytes(encodePacket(answer)).catch((error: unknown) => {
      monitorLog.warn('could not answer the recorder', { error: String(error) });
    });
  }

  const onData = (
    payload: Uint8Array,
    participant?: RemoteParticipant,
    _kind?: unknown,
    topic?: string,
  ): void => {
    if (topic !== DATA_TOPIC) return;
    // The recorder is hidden, so livekit-client delivers its packets with no participant (it
    // is not in the participant list); a packet from a participant we do know (the
    // interviewer) is never the recorder's.
    if (participant !== undefined && participant.identity !== recorderIdentity) {
      monitorLog.debug('ignored data from a participant other than the recorder', {
        from: participant.identity,
      });
      return;
    }
    const decoded = decodePacket(payload, RecorderMessageSchema);
    if (!decoded.ok) {
      monitorLog.debug('ignored a packet that is not from the recorder', {
        reason: decoded.reason,
      });
      return;
    }
    const message = decoded.message;
    switch (message.type) {
      case 'ack':
        if (message.stream !== core.stream) {
          monitorLog.debug('ignored an ack for another stream', { stream: message.stream });
          return;
        }
        core.ack(message, nowMs());
        greeted = true;
        for (const wake of [...ackWaiters]) wake();
        return;
      case 'recorder_ready':
        greeted = true;
        resendAll();
        return;
      case 'closing':
        void answerClosing(message.deadlineMs);
        return;
    }
  };

  room
    .on(RoomEvent.DataReceived, onData)
    .on(RoomEvent.Reconnected, resendAll)
    .on(RoomEvent.Connected, onConnected)
    .on(RoomEvent.Disconnected, onDisconnected);
  const timer = setInterval(
    () => void flush(),
    options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
  );

  return {
    stream: core.stream,

    post(build) {
      const message = build({ stream: core.stream, seq: core.peekSeq() });
      const checked = CandidateMessageSchema.safeParse(message);
      if (!checked.success) {
        monitorLog.warn('not sending an invalid message', {
          type: message.type,
          reason: formatIssues(checked.error),
        });
        return null;
      }
      core.add(message, nowMs());
      void flush();
      return message;
    },

    stats: () => core.stats(),

    drain,

    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      room
        .off(RoomEvent.DataReceived, onData)
        .off(RoomEvent.Reconnected, resendAll)
        .off(RoomEvent.Connected, onConnected)
        .off(RoomEvent.Disconnected, onDisconnected);
      for (const wake of [...ackWaiters]) wake();
    },
  };
}
