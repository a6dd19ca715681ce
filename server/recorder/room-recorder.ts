import { encodePacket } from '../../shared/protocol/data-message';
import type { Logger } from '../log/logger';
import { IDENTITY } from '../livekit/room-tokens';
import type { OpenRoomLink } from './room-link';
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

/**
 * A connector over any room link (this process's SDK, or a worker process's): handlers run one
 * at a time per room so journal order follows arrival, and the recorder's messages to the
 * candidate go out through the link.
 */
export function recorderConnector(openLink: OpenRoomLink): RoomConnector {
  return async ({ url, token, recorder, log, onLost }) => {
    let closing = false;
    let chain: Promise<unknown> = Promise.resolve();
    const serial = (work: () => Promise<unknown>): void => {
      chain = chain.then(work).catch((error: unknown) => {
        log.error('recorder handler failed', { error: String(error) });
      });
    };
    const link = await openLink({
      url,
      token,
      log,
      events: {
        onData: (payload, identity, topic) => {
          serial(() => recorder.handlePacket(payload, identity, topic));
        },
        onSpeakers: (identities) => {
          serial(() => recorder.onActiveSpeakers(identities));
        },
        onQuality: (identity, quality) => {
          serial(() => recorder.onConnection(identity, quality));
        },
        onParticipant: (identity, joined) => {
          log.info(joined ? 'participant joined' : 'participant left', { identity });
          serial(() => recorder.onConnection(identity, joined ? 'connected' : 'disconnected'));
          // Only now can this room tell the candidate's packets from anyone's (see greet()).
          if (joined && identity === IDENTITY.candidate) serial(() => recorder.greet());
        },
        onLost: (reason) => {
          if (!closing) onLost(reason);
        },
      },
    });
    const candidateKnown = link.participants.includes(IDENTITY.candidate);
    serial(() =>
      recorder.attach((message) => link.publishToCandidate(encodePacket(message)), candidateKnown),
    );
    for (const identity of link.participants) {
      serial(() => recorder.onConnection(identity, 'connected'));
    }
    log.info('recorder joined room', { room: link.roomName });
    return {
      async close() {
        closing = true;
        await chain;
        await link.close();
      },
    };
  };
}
