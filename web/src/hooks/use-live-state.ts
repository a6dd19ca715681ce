import { useEffect, useState } from 'react';
import { LiveStateSchema, type LiveState } from '../../../shared/api/interview-api';

export interface LiveFeed {
  live: LiveState | null;
  completed: boolean;
  connected: boolean;
}

/**
 * The server's authoritative score and flags, pushed over server-sent events at least twice a
 * second. EventSource reconnects by itself after a network blip.
 */
export function useLiveState(token: string, enabled: boolean): LiveFeed {
  const [feed, setFeed] = useState<LiveFeed>({ live: null, completed: false, connected: false });

  useEffect(() => {
    if (!enabled) return undefined;
    const source = new EventSource(`/api/links/${token}/live`);
    source.addEventListener('open', () => setFeed((f) => ({ ...f, connected: true })));
    source.addEventListener('error', () => setFeed((f) => ({ ...f, connected: false })));
    source.addEventListener('live', (event) => {
      const parsed = LiveStateSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
      if (parsed.success)
        setFeed({
          live: parsed.data,
          completed: parsed.data.status === 'completed',
          connected: true,
        });
    });
    source.addEventListener('status', (event) => {
      const status = (JSON.parse((event as MessageEvent<string>).data) as { status?: string })
        .status;
      if (status === 'completed') {
        setFeed((f) => ({ ...f, completed: true }));
        source.close();
      }
    });
    return () => source.close();
  }, [token, enabled]);

  return feed;
}
