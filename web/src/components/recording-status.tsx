import type { LiveState } from '../../../shared/api/interview-api';

/**
 * "Recording paused" while the server's hidden recorder is out of the room (LiveKit restarting,
 * network): the meter is not frozen by accident, and nothing is lost, since the candidate's page
 * keeps what it measures and sends it once the recorder is back.
 */
export function RecordingStatus({ live }: { live: LiveState | null }) {
  if (live === null || live.status !== 'live' || live.recorder_connected) return null;
  return (
    <p role="status" className="warning">
      Recording paused: the server is rejoining the interview room. The candidate’s device keeps its
      measurements and sends them when recording resumes.
    </p>
  );
}
