import { ConnectionState, RoomEvent, type RemoteParticipant, type Room } from 'livekit-client';
import {
  AckSchema,
  CandidateMessageSchema,
  DATA_TOPIC,
  decodePacket,
  encodePacket,
  formatIssues,
  MAX_PACKET_BYTES,
  type CandidateMessage,
} from '../../../shared/protocol/data-message';
import { randomId } from './events';
import { monitorLog } from './monitor-log';
import { createOutboxCore, type OutboxCore, type OutboxStats } from './outbox-core';

/**
 * Reliable delivery of samples and events to the hidden recorder participant over LiveKit data
 * (see outbox-core.ts for the rules). This file is the LiveKit adapter: it publishes what the
 * core says is due, feeds it the recorder's acks, and makes everything due again when the path
 * was broken (Reconnected, or the recorder (re)joined, since LiveKit replays only the last 2 s
 * of reliable data to a rejoining participant).
 */
export interface OutboxOptions {
  room: Room;
  recorderIdentity: string;
  /** Per page load; default random. Must match /^[A-Za-z0-9_-]{8,40}$/. */
  stream?: string;
  nowMs?: () => number;
  maxPending?: number;
  resendAfterMs?: number;
  /** How often due messages are looked for besides on every post. */
  checkIntervalMs?: number;
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

/** At most this many messages per publishing pass, so a long backlog does not starve the page. */
const BATCH_SIZE = 50;
export const DEFAULT_CHECK_INTERVAL_MS = 1000;

export function createOutbox(options: OutboxOptions): Outbox {
  const { room, recorderIdentity } = options;
  const nowMs = options.nowMs ?? Date.now;
  const core: OutboxCore = createOutboxCore({
    stream: options.stream ?? randomId(22),
    maxPending: options.maxPending,
    resendAfterMs: options.resendAfterMs,
  });
  let flushing = false;
  let flushAgain = false;
  let stopped = false;
  let failureLogged = false;
  const ackWaiters = new Set<() => void>();

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
    // publishData wants ArrayBuffer-backed bytes; encodePacket's type allows shared ones.
    await room.localParticipant.publishData(new Uint8Array(bytes), {
      reliable: true,
      topic: DATA_TOPIC,
      destinationIdentities: [recorderIdentity],
    });
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
        if (stopped || room.state !== ConnectionState.Connected) break;
        const batch = core.due(nowMs(), BATCH_SIZE);
        for (const message of batch) await publish(message);
        if (batch.length === BATCH_SIZE) flushAgain = true;
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

  const onData = (
    payload: Uint8Array,
    participant?: RemoteParticipant,
    _kind?: unknown,
    topic?: string,
  ): void => {
    if (topic !== DATA_TOPIC) return;
    if (participant?.identity !== recorderIdentity) {
      monitorLog.debug('ignored data from a participant other than the recorder', {
        from: participant?.identity ?? null,
      });
      return;
    }
    const decoded = decodePacket(payload, AckSchema);
    if (!decoded.ok) {
      monitorLog.debug('ignored a packet from the recorder that is not an ack', {
        reason: decoded.reason,
      });
      return;
    }
    if (decoded.message.stream !== core.stream) {
      monitorLog.debug('ignored an ack for another stream', { stream: decoded.message.stream });
      return;
    }
    core.ack(decoded.message);
    for (const wake of ackWaiters) wake();
  };

  const onParticipantConnected = (participant: RemoteParticipant): void => {
    if (participant.identity === recorderIdentity) resendAll();
  };

  room
    .on(RoomEvent.DataReceived, onData)
    .on(RoomEvent.Reconnected, resendAll)
    .on(RoomEvent.ParticipantConnected, onParticipantConnected);
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
      core.add(message);
      void flush();
      return message;
    },

    stats: () => core.stats(),

    async drain(timeoutMs) {
      const deadlineMs = nowMs() + timeoutMs;
      await flush();
      while (core.pendingCount() > 0 && nowMs() < deadlineMs) {
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
    },

    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      room
        .off(RoomEvent.DataReceived, onData)
        .off(RoomEvent.Reconnected, resendAll)
        .off(RoomEvent.ParticipantConnected, onParticipantConnected);
      for (const wake of ackWaiters) wake();
    },
  };
}
