import { useEffect, useRef } from 'react';
import type { Track } from 'livekit-client';

/** Attaches a LiveKit track to the element behind the returned ref while both exist. */
function useAttachedTrack<E extends HTMLMediaElement>(track: Track | null) {
  const ref = useRef<E>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !track) return undefined;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return ref;
}

/** A LiveKit video track in a labelled <video>, with a placeholder until it arrives. */
export function TrackVideo({
  track,
  label,
  mirrored = false,
}: {
  track: Track | null;
  label: string;
  mirrored?: boolean;
}) {
  const ref = useAttachedTrack<HTMLVideoElement>(track);
  return (
    <div className="video-tile">
      <video
        ref={ref}
        aria-label={label}
        autoPlay
        playsInline
        muted
        className={mirrored ? 'mirrored' : undefined}
      />
      {!track && <p className="video-placeholder">Waiting for video…</p>}
    </div>
  );
}

/** The other side's microphone. */
export function TrackAudio({ track }: { track: Track | null }) {
  const ref = useAttachedTrack<HTMLAudioElement>(track);
  return <audio ref={ref} autoPlay />;
}
