import type { InterviewRoom } from '../hooks/use-interview-room';
import { ErrorMessage, Progress } from './status-message';

/** The room connection in words: joining, reconnecting, failed or left. */
export function RoomStatus({
  room,
}: {
  room: Pick<InterviewRoom, 'phase' | 'error'> & { rejoinAttempt?: number };
}) {
  switch (room.phase) {
    case 'connecting':
      return <Progress label="Joining the interview room…" value={null} max={null} />;
    case 'reconnecting':
      return (
        <p role="status" className="warning">
          {room.rejoinAttempt
            ? `Connection lost — reconnecting… (attempt ${room.rejoinAttempt}). Keep this page open.`
            : 'Connection interrupted — reconnecting…'}
        </p>
      );
    case 'failed':
      return <ErrorMessage>{room.error}</ErrorMessage>;
    case 'ended':
      return (
        <ErrorMessage>You have left the interview room. Reload the page to rejoin.</ErrorMessage>
      );
    case 'connected':
      return null;
  }
}
