import { useEffect, useState } from 'react';

export interface MediaDeviceOption {
  deviceId: string;
  label: string;
}

/**
 * The machine's microphones or cameras, kept current when one is plugged in or out. Labels are
 * only readable once the page has camera/microphone permission; until then they are numbered.
 */
export function useMediaDevices(kind: 'audioinput' | 'videoinput', enabled: boolean) {
  const [devices, setDevices] = useState<MediaDeviceOption[]>([]);
  useEffect(() => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined outside secure contexts
    if (!enabled || !navigator.mediaDevices) return undefined;
    let cancelled = false;
    const read = (): void => {
      navigator.mediaDevices
        .enumerateDevices()
        .then((all) => {
          if (cancelled) return;
          const noun = kind === 'audioinput' ? 'Microphone' : 'Camera';
          setDevices(
            all
              .filter((d) => d.kind === kind && d.deviceId !== '')
              .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${noun} ${i + 1}` })),
          );
        })
        .catch(() => undefined);
    };
    read();
    navigator.mediaDevices.addEventListener('devicechange', read);
    return () => {
      cancelled = true;
      navigator.mediaDevices.removeEventListener('devicechange', read);
    };
  }, [kind, enabled]);
  return devices;
}
