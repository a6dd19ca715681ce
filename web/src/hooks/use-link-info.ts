import { useEffect, useState } from 'react';
import type { LinkInfo } from '../../../shared/api/interview-api';
import { ApiRequestError, api } from '../api/api-client';

export type LinkState =
  { phase: 'loading' } | { phase: 'ready'; info: LinkInfo } | { phase: 'failed'; message: string };

/** What an interview link opens, before anything is joined. */
export function useLinkInfo(token: string): LinkState {
  const [state, setState] = useState<LinkState>({ phase: 'loading' });
  useEffect(() => {
    let cancelled = false;
    api
      .linkInfo(token)
      .then((info) => !cancelled && setState({ phase: 'ready', info }))
      .catch((error: unknown) => {
        if (cancelled) return;
        const message =
          error instanceof ApiRequestError && error.status === 404
            ? 'This interview link is not valid. Check that you opened the whole link you were sent.'
            : (error as Error).message;
        setState({ phase: 'failed', message });
      });
    return () => {
      cancelled = true;
    };
  }, [token]);
  return state;
}
