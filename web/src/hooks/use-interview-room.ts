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
  /** While rejoining after LiveKit dropped the connection: the attempt under way, from 1. */
  rejoinAttempt: number;
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
 * Disconnects after which rejoining would be wrong: we left, the interview was completed (its room
 * deleted), the same link was opened in another tab, or someone removed us.
 */
const FINAL_REASONS: ReadonlySet<DisconnectReason | undefined> = new Set([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.DUPLICATE_IDENTITY,
  DisconnectReason.PARTICIPANT_REMOVED,
]);

/** Rejoin back-off: 1 s, doubled after each failure, at most 15 s between attempts. */
export const REJOIN_FIRST_DELAY_MS = 1_000;
export const REJOIN_MAX_DELAY_MS = 15_000;

export interface InterviewRoomOptions {
  /**
   * Asks the server for a fresh join (a new token; the server reopens the room if LiveKit lost
   * it). With it, the page rejoins by itself after LiveKit dropped it for good (a LiveKit
   * restart, an outage of minutes), for as long as it takes; it should throw an error with
   * `status` 409 once the interview is completed.
   */
  rejoin?: () => Promise<JoinResponse>;
}

/**
 * Connects to the interview's LiveKit room with the server-issued token, publishes the given
 * local tracks, and follows the other side's camera and microphone (and whether they are
 * muted). The hidden recorder publishes nothing, so the only remote media is the other person's.
 * `leave()` disconnects without ending the interview: the same link joins again.
 *
 * LiveKit itself resumes short interruptions (`reconnecting`). When it gives up, the same Room is
 * connected again with a fresh token (see `rejoin`), so everything bound to it (the candidate's
 * outbox and its unacknowledged messages) carries on; local tracks are not stopped on the way.
 */
export function useInterviewRoom(
  join: JoinResponse | null,
  localTracks: readonly LocalTrack[],
  options: InterviewRoomOptions = {},
): InterviewRoom & { leave: () => void } {
  const { rejoin } = options;
  const [state, setState] = useState<InterviewRoom>({
    room: null,
    phase: 'connecting',
    rejoinAttempt: 0,
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
    const room = new Room({
      adaptiveStream: true,
      dynacast: true,
      stopLocalTrackOnUnpublish: false,
    });
    roomRef.current = room;
    let cancelled = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** Set from the first lost connection until a rejoin succeeds: one retry loop at a time. */
    let rejoining = false;
    /** Read through a call: the effect's cleanup may run during any await below. */
    const isCancelled = (): boolean => cancelled;
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
        // Our own attempts fail with their own Disconnected: the retry loop handles those.
        if (cancelled || rejoining) return;
        if (rejoin && !FINAL_REASONS.has(reason)) {
          rejoining = true;
          scheduleRejoin(1, REJOIN_FIRST_DELAY_MS);
          return;
        }
        update({ phase: 'ended', endedBecauseCompleted: reason === DisconnectReason.ROOM_DELETED });
      });

    async function enter(url: string, token: string): Promise<void> {
      await room.connect(url, token, { autoSubscribe: true });
      for (const track of localTracks) await room.localParticipant.publishTrack(track);
    }

    function scheduleRejoin(attempt: number, delayMs: number): void {
      update({ phase: 'reconnecting', rejoinAttempt: attempt });
      retryTimer = setTimeout(() => {
        void (async () => {
          if (isCancelled() || !rejoin) return;
          try {
            const fresh = await rejoin();
            if (isCancelled()) return;
            await enter(fresh.livekit_url, fresh.token);
            rejoining = false;
            update({ phase: 'connected', rejoinAttempt: 0 });
          } catch (error) {
            if (isCancelled()) return;
            if ((error as { status?: unknown }).status === 409) {
              update({ phase: 'ended', endedBecauseCompleted: true });
              return;
            }
            // A failed connect may leave a half-open engine; start the next attempt clean.
            await room.disconnect(false).catch(() => undefined);
            scheduleRejoin(attempt + 1, Math.min(REJOIN_MAX_DELAY_MS, delayMs * 2));
          }
        })();
      }, delayMs);
    }

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
      clearTimeout(retryTimer);
      roomRef.current = null;
      room.removeAllListeners();
      void room.disconnect(false);
    };
  }, [join, localTracks, rejoin]);

  const leave = useCallback(() => {
    void roomRef.current?.disconnect(false);
  }, []);
  return { ...state, leave };
}
