import { EventEmitter } from 'node:events';
import type { Room } from '@livekit/rtc-node';
import { afterAll, describe, expect, test } from 'vitest';
import { routeRoomEvents } from './ffi-routing';

/** The SDK's singleton, as the SDK keeps it on globalThis (a plain EventEmitter in 1.1.0). */
const client = new EventEmitter();
(globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance = client;
afterAll(() => {
  delete (globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance;
});

/** A stand-in with the Room internals the router uses; it records what its handler heard. */
function fakeRoom(handle: bigint | undefined): { room: Room; heard: unknown[] } {
  const heard: unknown[] = [];
  const internals = {
    ffiHandle: handle === undefined ? undefined : { handle },
    onFfiEvent: (event: unknown) => heard.push(event),
  };
  client.on('ffi_event', internals.onFfiEvent);
  return { room: internals as unknown as Room, heard };
}

const roomEvent = (roomHandle: bigint) => ({
  message: { case: 'roomEvent', value: { roomHandle } },
});

describe('routing room events to their room', () => {
  test('a connected room hears its own events and RPC only; other listeners hear everything', () => {
    const a = fakeRoom(1n);
    const b = fakeRoom(2n);
    const connecting = fakeRoom(undefined);
    const other: unknown[] = [];
    client.on('ffi_event', (event: unknown) => other.push(event));
    for (const r of [a, b, connecting]) routeRoomEvents(r.room);

    client.emit('ffi_event', roomEvent(2n));
    expect(a.heard).toEqual([]);
    expect(b.heard).toEqual([roomEvent(2n)]);
    // Not connected yet (no handle): it hears everything, as without routing.
    expect(connecting.heard).toEqual([roomEvent(2n)]);
    expect(other).toEqual([roomEvent(2n)]);

    // A reply to a request is for its waiter, not for the connected rooms.
    const reply = { message: { case: 'publishData', value: { asyncId: 7n } } };
    client.emit('ffi_event', reply);
    expect(a.heard).toEqual([]);
    expect(b.heard).toEqual([roomEvent(2n)]);
    expect(connecting.heard).toEqual([roomEvent(2n), reply]);
    expect(other).toEqual([roomEvent(2n), reply]);

    // RPC invocations still reach every room (each checks its own participant).
    const rpc = { message: { case: 'rpcMethodInvocation', value: {} } };
    client.emit('ffi_event', rpc);
    expect(a.heard).toEqual([rpc]);
    expect(b.heard).toEqual([roomEvent(2n), rpc]);
  });
});
