import type { ReactNode } from 'react';
import type { LocalTrack } from 'livekit-client';
import type { InterviewRoom } from '../hooks/use-interview-room';
import { CallControls } from './call-controls';

/**
 * The call's header on both sides: the title, the call controls and **Leave**, which
 * disconnects without ending the interview (the same link joins again). `children` adds what
 * only one side has (the interviewer's End interview).
 */
export function RoomHeader({
  tracks,
  room,
  onLeft,
  children,
}: {
  tracks: readonly LocalTrack[];
  room: Pick<InterviewRoom, 'room' | 'connectedAtMs'> & { leave: () => void };
  onLeft: () => void;
  children?: ReactNode;
}) {
  return (
    <header className="room-header">
      <h1>Interview</h1>
      <CallControls tracks={tracks} room={room.room} connectedAtMs={room.connectedAtMs}>
        <button
          type="button"
          onClick={() => {
            room.leave();
            onLeft();
          }}
        >
          Leave
        </button>
        {children}
      </CallControls>
    </header>
  );
}
