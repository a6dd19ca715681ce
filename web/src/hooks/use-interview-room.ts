import { useCallback, useEffect, useRef, useState } from 'react';
import {
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type LocalTrack,
  type RemoteTrack,
  type RemoteTrackPublication,
} from 'livekit-client';
import type { JoinResponse } from '../../../shared/api/interview-api';

export type RoomPhase = 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'failed';

/** What joining is doing now, for the progress line while `phase` is 'connecting'. */
export type JoinStep = 'connecting' | 'publishing';

export interface InterviewRoom {
  room: Room | null;
  phase: RoomPhase;
  joinStep: JoinStep;
  /** Plain words for the person on this page; technical detail goes to the console. */
  error: string | null;
  /** Why the room ended: the interview completed (room closed) or we left / lost it. */
  endedBecauseCompleted: boolean;
  /** Date.now() when this page entered the call, for the elapsed time; null before. */
  connectedAtMs: number | null;
  remoteVideo: RemoteTrack | null;
  remoteAudio: RemoteTrack | null;
  /** The other side turned the camera off (Date.now() since when) or muted the microphone. */
  remoteCameraOffSinceMs: number | null;
  remoteMicrophoneMuted: boolean;
}

export const ROOM_CONNECT_FAILED =
  'Could not connect to the interview room. Check your internet connection and try again.';

/**
 * Connects to the interview's LiveKit room with the server-issued token, publishes the given
 * local tracks, and follows the other side's camera and microphone (and whether they are
 * muted). The hidden recorder publishes nothing, so the only remote media is the other person's.
 * `leave()` disconnects without ending the interview: the same link joins again.
 */
export function useInterviewRoom(
  join: JoinResponse | null,
  localTracks: readonly LocalTrack[],
): InterviewRoom & { leave: () => void } {
  const [state, setState] = useState<InterviewRoom>({
    room: null,
    phase: 'connecting',
    joinStep: 'connecting',
    error: null,
    endedBecauseCompleted: false,
    connectedAtMs: null,
    remoteVideo: null,
    remoteAudio: null,
    remoteCameraOffSinceMs: null,
    remoteMicrophoneMuted: false,
  });
  const roomRef = useRef<Room | null>(null);

  useEffect(() => {
    if (!join) return undefined;
    const room = new Room({ adaptiveStream: true, dynacast: true });
    roomRef.current = room;
    let cancelled = false;
    const update = (patch: Partial<InterviewRoom>): void => {
      if (!cancelled) setState((s) => ({ ...s, ...patch }));
    };
    const onSubscribed = (track: RemoteTrack, publication: RemoteTrackPublication): void => {
      if (track.kind === Track.Kind.Video)
        update({
          remoteVideo: track,
          remoteCameraOffSinceMs: publication.isMuted ? Date.now() : null,
        });
      if (track.kind === Track.Kind.Audio)
        update({ remoteAudio: track, remoteMicrophoneMuted: publication.isMuted });
    };
    const onUnsubscribed = (track: RemoteTrack): void => {
      setState((s) => ({
        ...s,
        remoteVideo: s.remoteVideo === track ? null : s.remoteVideo,
        remoteAudio: s.remoteAudio === track ? null : s.remoteAudio,
      }));
    };
    const onMuteChange =
      (muted: boolean) =>
      (publication: { source: Track.Source }, participant: { isLocal: boolean }) => {
        if (participant.isLocal) return;
        if (publication.source === Track.Source.Camera)
          setState((s) => ({
            ...s,
            remoteCameraOffSinceMs: muted ? (s.remoteCameraOffSinceMs ?? Date.now()) : null,
          }));
        if (publication.source === Track.Source.Microphone)
          update({ remoteMicrophoneMuted: muted });
      };
    room
      .on(RoomEvent.TrackSubscribed, onSubscribed)
      .on(RoomEvent.TrackUnsubscribed, onUnsubscribed)
      .on(RoomEvent.TrackMuted, onMuteChange(true))
      .on(RoomEvent.TrackUnmuted, onMuteChange(false))
      // The other side left: its mute state leaves with it (a rejoin publishes afresh).
      .on(RoomEvent.ParticipantDisconnected, (participant: { identity: string }) => {
        if (participant.identity !== join.recorder_identity)
          update({ remoteCameraOffSinceMs: null, remoteMicrophoneMuted: false });
      })
      .on(RoomEvent.Reconnecting, () => update({ phase: 'reconnecting' }))
      .on(RoomEvent.Reconnected, () => update({ phase: 'connected' }))
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        update({ phase: 'ended', endedBecauseCompleted: reason === DisconnectReason.ROOM_DELETED });
      });

    update({ room, phase: 'connecting', joinStep: 'connecting', error: null });
    void (async () => {
      try {
        await room.connect(join.livekit_url, join.token, { autoSubscribe: true });
        update({ joinStep: 'publishing' });
        for (const track of localTracks) await room.localParticipant.publishTrack(track);
        // update() is a no-op once the effect is cleaned up
        update({ phase: 'connected', connectedAtMs: Date.now() });
      } catch (error) {
        console.warn('interview room: connect failed', error);
        update({ phase: 'failed', error: ROOM_CONNECT_FAILED });
      }
    })();

    return () => {
      cancelled = true;
      roomRef.current = null;
      room.removeAllListeners();
      void room.disconnect(false);
    };
  }, [join, localTracks]);

  const leave = useCallback(() => {
    void roomRef.current?.disconnect(false);
  }, []);
  return { ...state, leave };
}
