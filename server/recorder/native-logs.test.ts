import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { stopNativeLogCapture } from './native-logs';

type Bindings = { livekitInitialize: unknown; __liveInterviewQuiet?: boolean };
const bindings = createRequire(import.meta.url)('@livekit/rtc-ffi-bindings') as Bindings;
const original = bindings.livekitInitialize;

afterEach(() => {
  bindings.livekitInitialize = original;
  delete bindings.__liveInterviewQuiet;
  delete (globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance;
});

describe('stopNativeLogCapture', () => {
  it('starts the native layer with log capture off, whatever the SDK asks for', () => {
    const calls: unknown[][] = [];
    bindings.livekitInitialize = (...args: unknown[]) => calls.push(args);
    expect(stopNativeLogCapture()).toBe(true);
    expect(stopNativeLogCapture()).toBe(true); // once only: not wrapped twice
    const callback = (): void => undefined;
    (bindings.livekitInitialize as (...args: unknown[]) => void)(callback, true, '1.1.0');
    expect(calls).toEqual([[callback, false, '1.1.0']]);
  });

  it('does nothing once the SDK has started its native layer', () => {
    (globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance = {};
    expect(stopNativeLogCapture()).toBe(false);
    expect(bindings.livekitInitialize).toBe(original);
  });
});
