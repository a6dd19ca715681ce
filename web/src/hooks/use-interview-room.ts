import { useEffect, useState } from 'react';
import {
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type LocalTrack,
  type RemoteTrack,
} from 'livekit-client';
import type { JoinResponse } from '../../../shared/api/interview-api';

export type RoomPhase = 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'failed';

export interface InterviewRoom {
  room: Room | null;
  phase: RoomPhase;
  error: string | null;
  /** Why the room ended: the interview completed (room closed) or we left / lost it. */
  endedBecauseCompleted: boolean;
  remoteVideo: RemoteTrack | null;
  remoteAudio: RemoteTrack | null;
}

/**
 * Connects to the interview's LiveKit room with the server-issued token, publishes the given
 * local tracks, and follows the other side's camera and microphone. The hidden recorder
 * publishes nothing, so the only remote media is the other person's.
 */
export function useInterviewRoom(
  join: JoinResponse | null,
  localTracks: readonly LocalTrack[],
): InterviewRoom {
  const [state, setState] = useState<InterviewRoom>({
    room: null,
    phase: 'connecting',
    error: null,
    endedBecauseCompleted: false,
    remoteVideo: null,
    remoteAudio: null,
  });

  useEffect(() => {
    if (!join) return undefined;
    const room = new Room({ adaptiveStream: true, dynacast: true });
    let cancelled = false;
    const update = (patch: Partial<InterviewRoom>): void => {
      if (!cancelled) setState((s) => ({ ...s, ...patch }));
    };
    const onSubscribed = (track: RemoteTrack): void => {
      if (track.kind === Track.Kind.Video) update({ remoteVideo: track });
      if (track.kind === Track.Kind.Audio) update({ remoteAudio: track });
    };
    const onUnsubscribed = (track: RemoteTrack): void => {
      setState((s) => ({
        ...s,
        remoteVideo: s.remoteVideo === track ? null : s.remoteVideo,
        remoteAudio: s.remoteAudio === track ? null : s.remoteAudio,
      }));
    };
    room
      .on(RoomEvent.TrackSubscribed, onSubscribed)
      .on(RoomEvent.TrackUnsubscribed, onUnsubscribed)
      .on(RoomEvent.Reconnecting, () => update({ phase: 'reconnecting' }))
      .on(RoomEvent.Reconnected, () => update({ phase: 'connected' }))
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        update({ phase: 'ended', endedBecauseCompleted: reason === DisconnectReason.ROOM_DELETED });
      });

    update({ room, phase: 'connecting', error: null });
    void (async () => {
      try {
        await room.connect(join.livekit_url, join.token, { autoSubscribe: true });
        for (const track of localTracks) await room.localParticipant.publishTrack(track);
        update({ phase: 'connected' }); // update() is a no-op once the effect is cleaned up
      } catch (error) {
        update({
          phase: 'failed',
          error: `Could not join the interview room: ${(error as Error).message}`,
        });
      }
    })();

    return () => {
      cancelled = true;
      room.removeAllListeners();
      void room.disconnect(false);
    };
  }, [join, localTracks]);

  return state;
}
