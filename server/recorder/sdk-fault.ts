import type { Logger } from '../log/logger';

/**
 * @livekit/rtc-node's native layer can throw "trying to drop an invalid handle" from a handle's
 * finaliser when many rooms join and leave in one process (seen at 70-100 concurrent interviews
 * in `npm run bench:load`, with recorder joins failing on "handle not found" just before). It
 * arrives as an uncaught exception outside any of our calls, so no recorder can catch it, and
 * Node's default then ends the process: every live interview loses its recorder. The handle it
 * complains about is already gone, so there is nothing left to clean up: log it and go on. Any
 * other uncaught error still ends the process as before.
 *
 * Installed wherever the SDK runs: in the server with RECORDER_WORKERS=0, else in each recorder
 * worker (worker/room-worker.ts). A worker that dies of any other error costs its rooms a
 * rejoin on another worker (worker/recorder-pool.ts).
 */
export function isDroppedHandleFault(error: unknown): boolean {
  return error instanceof Error && error.message.includes('trying to drop an invalid handle');
}

export interface FaultTarget {
  on(event: 'uncaughtException', listener: (error: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: unknown) => void): unknown;
}

/**
 * Installs the guard on `target` (the process); returns its removal. `fail` is what happens to
 * any other error (by default: print it and exit 1, as Node would without a handler).
 */
export function guardSdkFaults(
  log: Logger,
  target: FaultTarget = process,
  fail: (error: unknown) => void = (error) => {
    console.error(error);
    process.exit(1);
  },
): () => void {
  const listener = (error: unknown): void => {
    if (isDroppedHandleFault(error)) {
      log.error('LiveKit SDK fault ignored (a native handle dropped twice)', {
        error: String(error),
      });
      return;
    }
    fail(error);
  };
  target.on('uncaughtException', listener);
  return () => {
    target.off('uncaughtException', listener);
  };
}
