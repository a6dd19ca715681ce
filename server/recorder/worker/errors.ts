/**
 * Recorder worker failures. They reach InterviewService as a failed join (mapped to its
 * UnavailableError, then retried like any lost recorder) or as a rejected publish (a lost ack
 * the candidate re-sends); never an HTTP status of their own.
 */
export class RecorderWorkerError extends Error {
  override readonly name: string = 'RecorderWorkerError';
}

/** No worker is running (all starting or restarting after a crash). */
export class RecorderWorkerUnavailableError extends RecorderWorkerError {
  override readonly name = 'RecorderWorkerUnavailableError';
}

/** The worker holding the room exited (crash, native fault, kill) before it answered. */
export class RecorderWorkerExitedError extends RecorderWorkerError {
  override readonly name = 'RecorderWorkerExitedError';
}

/** The worker did not answer in time (it stays in service; the room is given up). */
export class RecorderWorkerTimeoutError extends RecorderWorkerError {
  override readonly name = 'RecorderWorkerTimeoutError';
}

/** The worker answered a request with an error (the SDK's message is kept). */
export class RecorderWorkerRequestError extends RecorderWorkerError {
  override readonly name = 'RecorderWorkerRequestError';
}
