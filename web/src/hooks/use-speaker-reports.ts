import { useEffect } from 'react';
import { RoomEvent, type Participant, type Room } from 'livekit-client';
import { api } from '../api/api-client';
import { speakingRoles } from './speaking-roles';

/**
 * Forwards LiveKit's active-speaker changes from a participant's page (interviewer and candidate
 * both, each with its own link token) to the server, which merges them into who-spoke-when: the
 * question and answer turns, and less weight on looking away while the candidate answers. Only
 * changes are sent.
 */
export function useSpeakerReports(room: Room | null, token: string): void {
  useEffect(() => {
    if (!room) return undefined;
    let last = '';
    const onChange = (speakers: Participant[]): void => {
      const active = speakingRoles(speakers);
      const key = active.join(',');
      if (key === last) return;
      last = key;
      // A lost report only means one interval is missing; the next change corrects the state.
      api.reportSpeakers(token, { active }).catch(() => undefined);
    };
    room.on(RoomEvent.ActiveSpeakersChanged, onChange);
    return () => {
      room.off(RoomEvent.ActiveSpeakersChanged, onChange);
    };
  }, [room, token]);
}
