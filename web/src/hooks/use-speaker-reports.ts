import { useEffect } from 'react';
import { RoomEvent, type Participant, type Room } from 'livekit-client';
import { api } from '../api/api-client';
import { speakingRoles } from './speaking-roles';

/**
 * Forwards LiveKit's active-speaker changes from the interviewer's page to the server, which
 * weighs looking away less while the candidate is answering. Only changes are sent.
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
