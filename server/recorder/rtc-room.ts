import {
  ConnectionQuality,
  Room,
  RoomEvent,
  type Participant,
  type RemoteParticipant,
} from '@livekit/rtc-node';
import { DATA_TOPIC } from '../../shared/protocol/data-message';
import { IDENTITY } from '../livekit/room-tokens';
import { routeRoomEvents } from './ffi-routing';
import { stopNativeLogCapture } from './native-logs';
import type { LinkQuality, OpenRoomLink } from './room-link';
import { recorderConnector, type RoomConnector } from './room-recorder';

/** Every quality named; looked up as partial because the native SDK may send a newer value. */
const QUALITY: Partial<Record<ConnectionQuality, LinkQuality>> = {
  [ConnectionQuality.QUALITY_POOR]: 'poor',
  [ConnectionQuality.QUALITY_GOOD]: 'good',
  [ConnectionQuality.QUALITY_EXCELLENT]: 'excellent',
  [ConnectionQuality.QUALITY_LOST]: 'lost',
} satisfies Record<ConnectionQuality, LinkQuality>;

// Before any room: the SDK's log capture costs more than the recorders' own work (native-logs.ts).
stopNativeLogCapture();

/**
 * Joins with @livekit/rtc-node, media subscription off: the recorder wants data, speaker and
 * connection updates only. The only module that loads the native SDK on the server side: it runs
 * in the recorder workers (worker/room-worker.ts), or in the server itself with
 * RECORDER_WORKERS=0.
 */
export const openRtcRoom: OpenRoomLink = async ({ url, token, events }) => {
  const room = new Room();
  let closing = false;
  room
    .on(
      RoomEvent.DataReceived,
      (payload: Uint8Array, participant?: RemoteParticipant, _kind?: unknown, topic?: string) => {
        events.onData(payload, participant?.identity, topic);
      },
    )
    .on(RoomEvent.ActiveSpeakersChanged, (speakers: Participant[]) => {
      events.onSpeakers(speakers.map((p) => p.identity));
    })
    .on(
      RoomEvent.ConnectionQualityChanged,
      (quality: ConnectionQuality, participant: Participant) => {
        events.onQuality(participant.identity, QUALITY[quality] ?? 'poor');
      },
    )
    .on(RoomEvent.ParticipantConnected, (participant: RemoteParticipant) => {
      events.onParticipant(participant.identity, true);
    })
    .on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
      events.onParticipant(participant.identity, false);
    })
    .on(RoomEvent.Disconnected, (reason: unknown) => {
      if (!closing) events.onLost(String(reason));
    });

  const connecting = room.connect(url, token, { autoSubscribe: false, dynacast: false });
  routeRoomEvents(room);
  await connecting;
  return {
    roomName: room.name ?? '',
    participants: [...room.remoteParticipants.values()].map((p) => p.identity),
    async publishToCandidate(payload) {
      // Acks and control messages go only to the candidate: nobody else needs them.
      await room.localParticipant?.publishData(payload, {
        reliable: true,
        topic: DATA_TOPIC,
        destination_identities: [IDENTITY.candidate],
      });
    },
    async close() {
      closing = true;
      await room.disconnect();
    },
  };
};

/** Recorders whose rooms live in this process (RECORDER_WORKERS=0, and tests). */
export const connectWithRtcNode: RoomConnector = recorderConnector(openRtcRoom);
