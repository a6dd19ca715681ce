import { useEffect, useState } from 'react';
import { TrackEvent, type Track } from 'livekit-client';

/** Whether a LiveKit track is muted (a local toggle or the other side's), following its events. */
export function useTrackMuted(track: Track | null): boolean {
  const [muted, setMuted] = useState(track?.isMuted ?? false);
  useEffect(() => {
    if (!track) return undefined;
    setMuted(track.isMuted);
    const onMuted = (): void => setMuted(true);
    const onUnmuted = (): void => setMuted(false);
    track.on(TrackEvent.Muted, onMuted).on(TrackEvent.Unmuted, onUnmuted);
    return () => {
      track.off(TrackEvent.Muted, onMuted).off(TrackEvent.Unmuted, onUnmuted);
    };
  }, [track]);
  return muted;
}
