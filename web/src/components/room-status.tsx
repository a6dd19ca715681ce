import type { InterviewRoom } from '../hooks/use-interview-room';
import { ErrorMessage, Progress } from './status-message';

/** The room connection in words: joining, reconnecting, failed or left, with a way back in. */
export function RoomStatus({
  room,
  onRejoin,
  joiningLabel = 'Joining the interview room…',
}: {
  room: Pick<InterviewRoom, 'phase' | 'error' | 'joinStep'> & { rejoinAttempt?: number };
  onRejoin: () => void;
  joiningLabel?: string;
}) {
  switch (room.phase) {
    case 'connecting':
      return (
        <Progress
          label={
            room.joinStep === 'publishing'
              ? 'Connected. Sharing your camera and microphone…'
              : joiningLabel
          }
          value={room.joinStep === 'publishing' ? 2 : 1}
          max={3}
          unit="none"
        />
      );
    case 'reconnecting':
      return (
        <p role="status" className="warning">
          {room.rejoinAttempt
            ? `Connection lost — reconnecting… (attempt ${room.rejoinAttempt}). Keep this page open.`
            : 'Connection interrupted — reconnecting…'}
        </p>
      );
    case 'failed':
      return (
        <ErrorMessage>
          {room.error}{' '}
          <button type="button" onClick={onRejoin}>
            Back to joining
          </button>
        </ErrorMessage>
      );
    case 'ended':
      return (
        <ErrorMessage>
          You are no longer in the interview room; the interview is still open.{' '}
          <button type="button" onClick={onRejoin}>
            Join again
          </button>
        </ErrorMessage>
      );
    case 'connected':
      return null;
  }
}
