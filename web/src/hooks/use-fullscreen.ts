import { useCallback, useEffect, useState } from 'react';

/**
 * Whether the page is in fullscreen, and a way back into it. `request` must run inside a click
 * (browsers only grant fullscreen to a user gesture); a refusal is ignored, not thrown.
 */
export function useFullscreen(): { isFullscreen: boolean; request: () => void } {
  const [isFullscreen, setIsFullscreen] = useState(() => document.fullscreenElement !== null);
  useEffect(() => {
    const onChange = (): void => setIsFullscreen(document.fullscreenElement !== null);
    onChange();
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  const request = useCallback(() => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent on iPhone Safari although the DOM types declare it
    void document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, []);
  return { isFullscreen, request };
}
