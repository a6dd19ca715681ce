import type { Role } from '../../../shared/api/interview-api';

const ROLES: readonly Role[] = ['candidate', 'interviewer'];

/** The roles among LiveKit's active speakers (identities are the role names), in a fixed order. */
export function speakingRoles(speakers: readonly { identity: string }[]): Role[] {
  return ROLES.filter((role) => speakers.some((p) => p.identity === role));
}
