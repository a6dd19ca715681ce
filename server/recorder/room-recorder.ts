import {
  ConnectionQuality,
  Room,
  RoomEvent,
  type Participant,
  type RemoteParticipant,
} from '@livekit/rtc-node';
import { DATA_TOPIC, encodePacket } from '../../shared/protocol/data-message';
import type { ConnectionNote } from '../../shared/record/session-record';
import type { Logger } from '../log/logger';
import { IDENTITY } from '../livekit/room-tokens';
import type { SessionRecorder } from './session-recorder';

/** The LiveKit side of a recorder: joins the room hidden and feeds a SessionRecorder. */
export interface RoomConnection {
  close(): Promise<void>;
}

export type RoomConnector = (options: {
  url: string;
  token: string;
  recorder: SessionRecorder;
  log: Logger;
  /** Called when LiveKit drops the recorder for good (not when we close it). */
  onLost: (reason: string) => void;
}) => Promise<RoomConnection>;

/** Every quality named; looked up as partial because the native SDK may send a newer value. */
const QUALITY: Partial<Record<ConnectionQuality, ConnectionNote['quality']>> = {
  [ConnectionQuality.QUALITY_POOR]: 'poor',
  [ConnectionQuality.QUALITY_GOOD]: 'good',
  [ConnectionQuality.QUALITY_EXCELLENT]: 'excellent',
  [ConnectionQuality.QUALITY_LOST]: 'lost',
} satisfies Record<ConnectionQuality, ConnectionNote['quality']>;

/** The part of @livekit/rtc-node's FFI event that names a data packet's sender. */
interface FfiEventShape {
  message: {
    case?: string;
    value?: { message?: { case?: string; value?: { participantIdentity?: string } } };
  };
}

/**
 * The sender identity LiveKit stamped on the data packet being dispatched now.
 *
 * Why: rtc-node's DataReceived passes the sender as a RemoteParticipant looked up in the room's
 * participant list, which is undefined until ParticipantConnected has been processed (the
 * candidate's first packets, and again after every rejoin). The FFI event itself carries the
 * identity the LiveKit server stamped on the packet (clients cannot forge it), so we read it
 * there: Room.processFfiEvent emits DataReceived synchronously, before its first await, so the
 * identity captured around that call is the one of the packet being emitted.
 */
export function captureDataSender(room: Room, log: Logger): () => string | undefined {
  const target = room as unknown as Record<string, unknown>;
  const original = target['processFfiEvent'];
  if (typeof original !== 'function') {
    log.warn('rtc-node internals changed: sender identities come from the participant list');
    return () => undefined;
  }
  const process = original as (event: FfiEventShape) => Promise<void>;
  let current: string | undefined;
  target['processFfiEvent'] = (event: FfiEventShape): Promise<void> => {
    const roomEvent = event.message.case === 'roomEvent' ? event.message.value?.message : undefined;
    if (roomEvent?.case !== 'dataPacketReceived') return process(event);
    const identity = roomEvent.value?.participantIdentity;
    current = identity === '' ? undefined : identity;
    try {
      return process(event);
    } finally {
      current = undefined;
    }
  };
  return () => current;
}

/**
 * Joins with @livekit/rtc-node, media subscription off: the recorder wants data, speaker and
 * connection updates only. Handlers run one at a time per room so journal order follows arrival.
 */
export const connectWithRtcNode: RoomConnector = async ({ url, token, recorder, log, onLost }) => {
  const room = new Room();
  const dataSender = captureDataSender(room, log);
  let closing = false;
  let chain: Promise<unknown> = Promise.resolve();
  const serial = (work: () => Promise<unknown>): void => {
    chain = chain.then(work).catch((error: unknown) => {
      log.error('recorder handler failed', { error: String(error) });
    });
  };

  room
    .on(
      RoomEvent.DataReceived,
      (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
        const identity = dataSender() ?? participant?.identity;
        serial(() => recorder.handlePacket(payload, identity, topic));
      },
    )
    .on(RoomEvent.ActiveSpeakersChanged, (speakers: Participant[]) => {
      const identities = speakers.map((p) => p.identity);
      serial(() => recorder.onActiveSpeakers(identities));
    })
    .on(
      RoomEvent.ConnectionQualityChanged,
      (quality: ConnectionQuality, participant: Participant) => {
        serial(() => recorder.onConnection(participant.identity, QUALITY[quality] ?? 'poor'));
      },
    )
    .on(RoomEvent.ParticipantConnected, (participant: RemoteParticipant) => {
      log.info('participant joined', { identity: participant.identity });
      serial(() => recorder.onConnection(participant.identity, 'connected'));
    })
    .on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
      log.info('participant left', { identity: participant.identity });
      serial(() => recorder.onConnection(participant.identity, 'disconnected'));
    });

  room.on(RoomEvent.Disconnected, (reason: unknown) => {
    if (!closing) onLost(String(reason));
  });

  await room.connect(url, token, { autoSubscribe: false, dynacast: false });
  // Acks and control messages go only to the candidate: nobody else needs them.
  serial(() =>
    recorder.attach(async (message) => {
      await room.localParticipant?.publishData(encodePacket(message), {
        reliable: true,
        topic: DATA_TOPIC,
        destination_identities: [IDENTITY.candidate],
      });
    }),
  );
  for (const participant of room.remoteParticipants.values()) {
    serial(() => recorder.onConnection(participant.identity, 'connected'));
  }
  log.info('recorder joined room', { room: room.name });
  return {
    async close() {
      closing = true;
      await chain;
      await room.disconnect();
    },
  };
};
