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
  /** While rejoining after LiveKit dropped the connection: the attempt under way, from 1. */
  rejoinAttempt: number;
  error: string | null;
  /** Why the room ended: the interview completed (room closed) or we left / lost it. */
  endedBecauseCompleted: boolean;
  remoteVideo: RemoteTrack | null;
  remoteAudio: RemoteTrack | null;
}

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
 * local tracks, and follows the other side's camera and microphone. The hidden recorder
 * publishes nothing, so the only remote media is the other person's.
 *
 * LiveKit itself resumes short interruptions (`reconnecting`). When it gives up, the same Room is
 * connected again with a fresh token (see `rejoin`), so everything bound to it (the candidate's
 * outbox and its unacknowledged messages) carries on; local tracks are not stopped on the way.
 */
export function useInterviewRoom(
  join: JoinResponse | null,
  localTracks: readonly LocalTrack[],
  options: InterviewRoomOptions = {},
): InterviewRoom {
  const { rejoin } = options;
  const [state, setState] = useState<InterviewRoom>({
    room: null,
    phase: 'connecting',
    rejoinAttempt: 0,
    error: null,
    endedBecauseCompleted: false,
    remoteVideo: null,
    remoteAudio: null,
  });

  useEffect(() => {
    if (!join) return undefined;
    const room = new Room({
      adaptiveStream: true,
      dynacast: true,
      stopLocalTrackOnUnpublish: false,
    });
    let cancelled = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    /** Set from the first lost connection until a rejoin succeeds: one retry loop at a time. */
    let rejoining = false;
    /** Read through a call: the effect's cleanup may run during any await below. */
    const isCancelled = (): boolean => cancelled;
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

    update({ room, phase: 'connecting', error: null });
    void (async () => {
      try {
        await enter(join.livekit_url, join.token);
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
      clearTimeout(retryTimer);
      room.removeAllListeners();
      void room.disconnect(false);
    };
  }, [join, localTracks, rejoin]);

  return state;
}
