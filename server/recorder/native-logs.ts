import { createRequire } from 'node:module';

/**
 * @livekit/rtc-node 1.1.0 starts its native layer with log capture on: every log record of the
 * Rust SDK and of libwebrtc, down to debug and trace, is encoded, sent to JavaScript in batches
 * of 16, decoded and handed to every listener of the SDK's event emitter, and then dropped
 * (nothing in the SDK reads them). Measured: about 350 records a second per room while idle,
 * 90 % of all native events of a process with 25 rooms; dispatching and decoding events took
 * about a third of a recorder worker's profiled time at 200 interviews.
 *
 * This starts the native layer with capture off instead; it then logs through its own logger,
 * errors only unless RUST_LOG says otherwise, to stderr. It reaches into the bindings package
 * (the SDK reads `livekitInitialize` from its exports when it first creates its client), so it
 * must run before the first Room connects; it does nothing if that already happened or if the
 * package's shape differs (another SDK version), and then returns false.
 */
export function stopNativeLogCapture(): boolean {
  if ((globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance !== undefined) {
    return false;
  }
  const bindings = createRequire(import.meta.url)('@livekit/rtc-ffi-bindings') as {
    livekitInitialize?: unknown;
    __liveInterviewQuiet?: boolean;
  };
  if (bindings.__liveInterviewQuiet === true) return true;
  const initialize = bindings.livekitInitialize;
  if (typeof initialize !== 'function') return false;
  bindings.livekitInitialize = (callback: unknown, _captureLogs: unknown, ...rest: unknown[]) =>
    (initialize as (...args: unknown[]) => unknown)(callback, false, ...rest);
  bindings.__liveInterviewQuiet = true;
  return true;
}
