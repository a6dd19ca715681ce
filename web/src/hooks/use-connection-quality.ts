import { useEffect, useState } from 'react';
import { ConnectionQuality, RoomEvent, type Participant, type Room } from 'livekit-client';

export type QualityWord = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

export function qualityWord(quality: ConnectionQuality): QualityWord {
  switch (quality) {
    case ConnectionQuality.Excellent:
      return 'excellent';
    case ConnectionQuality.Good:
      return 'good';
    case ConnectionQuality.Poor:
      return 'poor';
    case ConnectionQuality.Lost:
      return 'lost';
    default:
      return 'unknown';
  }
}

/** LiveKit's estimate of this page's own connection (it measures loss and jitter). */
export function useConnectionQuality(room: Room | null): QualityWord {
  const [quality, setQuality] = useState<QualityWord>('unknown');
  useEffect(() => {
    if (!room) return undefined;
    setQuality(qualityWord(room.localParticipant.connectionQuality));
    const onChange = (q: ConnectionQuality, participant: Participant): void => {
      if (participant === room.localParticipant) setQuality(qualityWord(q));
    };
    room.on(RoomEvent.ConnectionQualityChanged, onChange);
    return () => {
      room.off(RoomEvent.ConnectionQualityChanged, onChange);
    };
  }, [room]);
  return quality;
}
