import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log/logger';
import { guardSdkFaults, isDroppedHandleFault } from './sdk-fault';

/** The error exactly as @livekit/rtc-node's native layer raised it in the load bench. */
function droppedHandle(): Error {
  return Object.assign(new Error('trying to drop an invalid handle'), { code: 'GenericFailure' });
}

describe('guardSdkFaults', () => {
  it('recognises only the dropped-handle fault', () => {
    expect(isDroppedHandleFault(droppedHandle())).toBe(true);
    expect(isDroppedHandleFault(new Error('handle not found'))).toBe(false);
    expect(isDroppedHandleFault('trying to drop an invalid handle')).toBe(false);
  });

  it('logs the fault and keeps the process; any other error still fails', () => {
    const lines: string[] = [];
    const log = createLogger('error', {}, (line) => lines.push(line));
    const target = new EventEmitter();
    const fail = vi.fn();
    const remove = guardSdkFaults(log, target, fail);

    target.emit('uncaughtException', droppedHandle());
    expect(fail).not.toHaveBeenCalled();
    expect(lines.join('\n')).toContain('native handle dropped twice');

    const other = new TypeError('a real bug');
    target.emit('uncaughtException', other);
    expect(fail).toHaveBeenCalledWith(other);

    remove();
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });
});
