import { useState } from 'react';
import { api } from '../api/api-client';

/**
 * Completes the interview for both sides (the server closes the room and finalises the record),
 * then hands over to the page. A failed request still hands over: the room closing, or the
 * other side, completes it as well.
 */
export function CompleteInterviewButton({
  token,
  onCompleted,
}: {
  token: string;
  onCompleted: () => void;
}) {
  const [completing, setCompleting] = useState(false);
  const complete = async (): Promise<void> => {
    setCompleting(true);
    await api.complete(token).catch(() => undefined);
    onCompleted();
  };
  return (
    <button type="button" className="danger" onClick={() => void complete()} disabled={completing}>
      Complete interview
    </button>
  );
}
