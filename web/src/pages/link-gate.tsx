import type { ReactNode } from 'react';
import type { LinkInfo } from '../../../shared/api/interview-api';
import { ErrorMessage, Progress } from '../components/status-message';
import { useLinkInfo } from '../hooks/use-link-info';

/** Resolves an interview link, showing progress or a plain error until it is known. */
export function LinkGate({
  token,
  children,
}: {
  token: string;
  children: (info: LinkInfo) => ReactNode;
}) {
  const link = useLinkInfo(token);
  if (link.phase === 'loading') {
    return (
      <main className="page narrow">
        <Progress label="Opening the interview…" value={null} max={null} />
      </main>
    );
  }
  if (link.phase === 'failed') {
    return (
      <main className="page narrow">
        <h1>Interview</h1>
        <ErrorMessage>{link.message}</ErrorMessage>
      </main>
    );
  }
  return children(link.info);
}
