import { ApiRequestError } from './api-client';

/**
 * What a person reads when joining fails: what happened and what to do, never the server's
 * technical reason (that goes to the browser console for whoever debugs it).
 */
export function joinErrorMessage(error: unknown, role: 'candidate' | 'interviewer'): string {
  console.warn('join failed', error);
  const status = error instanceof ApiRequestError ? error.status : -1;
  const contact =
    role === 'candidate'
      ? 'If it keeps happening, tell the person who invited you.'
      : 'If it keeps happening, ask your administrator to check the interview service.';
  if (status === 0)
    return 'The interview service cannot be reached. Check your internet connection and try again.';
  if (status === 409) return 'This interview has already ended.';
  if (status === 404)
    return 'This interview link is not valid. Check that you opened the whole link you were sent.';
  if (status === 503)
    return `The interview room cannot be opened right now. Please wait a minute and try again. ${contact}`;
  return `Something went wrong while joining. Please try again. ${contact}`;
}
