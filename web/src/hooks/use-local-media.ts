import { useCallback, useEffect, useState } from 'react';
import { createLocalTracks, type LocalTrack } from 'livekit-client';

export type LocalMedia =
  | { phase: 'idle' }
  | { phase: 'requesting' }
  | { phase: 'ready'; tracks: LocalTrack[] }
  | { phase: 'failed'; message: string };

/** Plain words for the usual getUserMedia failures. */
function describeMediaError(error: unknown): string {
  const name = (error as { name?: string }).name ?? '';
  if (name === 'NotAllowedError')
    return 'Camera or microphone permission was denied. Allow access in your browser and try again.';
  if (name === 'NotFoundError')
    return 'No camera or microphone was found. Connect one and try again.';
  if (name === 'NotReadableError')
    return 'The camera or microphone is in use by another application.';
  if (typeof window !== 'undefined' && !window.isSecureContext)
    return 'The camera needs a secure (https) page.';
  return `The camera or microphone could not be started (${(error as { message?: string }).message ?? name}).`;
}

/** Camera and microphone for the pre-join preview; the same tracks are published on join. */
export function useLocalMedia(autoStart: boolean): LocalMedia & { retry: () => void } {
  const [media, setMedia] = useState<LocalMedia>({ phase: 'idle' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!autoStart) return undefined;
    let cancelled = false;
    let acquired: LocalTrack[] = [];
    setMedia({ phase: 'requesting' });
    createLocalTracks({
      audio: true,
      video: { resolution: { width: 640, height: 480, frameRate: 15 } },
    })
      .then((tracks) => {
        acquired = tracks;
        if (cancelled) tracks.forEach((t) => t.stop());
        else setMedia({ phase: 'ready', tracks });
      })
      .catch((error: unknown) => {
        if (!cancelled) setMedia({ phase: 'failed', message: describeMediaError(error) });
      });
    return () => {
      cancelled = true;
      acquired.forEach((t) => t.stop());
    };
  }, [autoStart, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...media, retry };
}
