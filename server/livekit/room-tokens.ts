import { AccessToken, TrackSource, type VideoGrant } from 'livekit-server-sdk';

export type RoomRole = 'candidate' | 'interviewer' | 'recorder';

/** One LiveKit room per interview; the name is derived from the validated UUID only. */
export function roomNameFor(interviewId: string): string {
  return `interview-${interviewId}`;
}

/** Identities are fixed per role, so a second tab of the same role replaces the first. */
export const IDENTITY: Readonly<Record<RoomRole, string>> = {
  candidate: 'candidate',
  interviewer: 'interviewer',
  recorder: 'recorder',
};

/**
 * Least privilege per role. The candidate publishes camera, microphone and data (its metric
 * samples and events) and subscribes to the interviewer; the interviewer publishes camera and
 * microphone and never data, so nothing it sends can pose as the candidate's evidence; the
 * recorder is hidden, publishes no media (only its acknowledgements on data) and subscribes so
 * that data reaches it (it opts out of media with autoSubscribe off).
 * Every grant names one room: a token for one interview never opens another.
 */
export function grantFor(role: RoomRole, room: string): VideoGrant {
  const base: VideoGrant = { roomJoin: true, room, canUpdateOwnMetadata: false };
  switch (role) {
    case 'candidate':
      return {
        ...base,
        canPublish: true,
        canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
        canPublishData: true,
        canSubscribe: true,
      };
    case 'interviewer':
      return {
        ...base,
        canPublish: true,
        canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
        canPublishData: false,
        canSubscribe: true,
      };
    case 'recorder':
      return {
        ...base,
        hidden: true,
        canPublish: false,
        canPublishData: true,
        canSubscribe: true,
      };
  }
}

export interface TokenSigner {
  apiKey: string;
  apiSecret: string;
  ttlSeconds: number;
}

export async function createRoomToken(
  signer: TokenSigner,
  role: RoomRole,
  interviewId: string,
): Promise<string> {
  const token = new AccessToken(signer.apiKey, signer.apiSecret, {
    identity: IDENTITY[role],
    name: role,
    ttl: signer.ttlSeconds,
  });
  token.addGrant(grantFor(role, roomNameFor(interviewId)));
  return token.toJwt();
}
