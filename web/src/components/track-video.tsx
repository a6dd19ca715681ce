import { useEffect, useRef } from 'react';
import type { Track } from 'livekit-client';

/** A LiveKit track in a <video> (or <audio>), attached for as long as it is shown. */
export function TrackVideo({ track, label, mirrored = false }: { track: Track | null; label: string; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !track) return undefined;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return (
    <div className="video-tile">
      <video ref={ref} aria-label={label} autoPlay playsInline muted className={mirrored ? 'mirrored' : undefined} />
      {!track && <p className="video-placeholder">Waiting for video…</p>}
    </div>
  );
}

export function TrackAudio({ track }: { track: Track | null }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || !track) return undefined;
    track.attach(el);
    return () => {
      track.detach(el);
    };
  }, [track]);
  return <audio ref={ref} autoPlay />;
}
