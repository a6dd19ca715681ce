import type { Room } from '@livekit/rtc-node';

/**
 * @livekit/rtc-node (1.1.0, pinned) hands every native event to every connected Room's handler,
 * and each handler takes the room's async lock before it looks at whom the event is for: with
 * R rooms in a process, each event costs R lock round trips, so the SDK's own work grows with
 * R² (measured: about 30 % of a process's CPU at 50-100 rooms, plus the garbage it makes). This
 * hands a connected room's handler only what it acts on (its own `roomEvent`s and RPC
 * invocations); other listeners (a request's waiter, a room still connecting) get every event
 * as before.
 *
 * It reaches into the SDK's internals (its FfiClient singleton, a Room's `onFfiEvent` and
 * `ffiHandle`); if their shape differs (another SDK version) it does nothing and every event is
 * dispatched by the SDK as before.
 */

type Listener = (...args: unknown[]) => unknown;

interface RoomInternals {
  onFfiEvent?: unknown;
  ffiHandle?: { handle?: unknown };
}

interface FfiClientLike {
  emit: (name: string | symbol, ...args: unknown[]) => boolean;
  listeners: (name: string | symbol) => Listener[];
}

interface FfiEventLike {
  message?: { case?: unknown; value?: { roomHandle?: unknown } };
}

const FFI_EVENT = 'ffi_event';
/** Room handlers by listener; a room not connected yet has no handle and hears everything. */
const rooms = new WeakMap<Listener, RoomInternals>();
let installed = false;

function ffiClient(): FfiClientLike | undefined {
  const candidate = (globalThis as { _ffiClientInstance?: unknown })._ffiClientInstance;
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { emit, listeners } = candidate as Partial<FfiClientLike>;
  return typeof emit === 'function' && typeof listeners === 'function'
    ? (candidate as FfiClientLike)
    : undefined;
}

function install(client: FfiClientLike): void {
  const emit = client.emit.bind(client);
  client.emit = (name, ...args) => {
    if (name !== FFI_EVENT) return emit(name, ...args);
    const event = args[0] as FfiEventLike | undefined;
    const kind = event?.message?.case;
    // A connected room's handler acts only on its own room events and on RPC invocations (see
    // Room.processFfiEvent); replies to requests (every publishData's, for one) are for the
    // request's own waiter, not for the rooms.
    const target = kind === 'roomEvent' ? event?.message?.value?.roomHandle : undefined;
    const listeners = client.listeners(FFI_EVENT);
    for (const listener of listeners) {
      const room = rooms.get(listener);
      const handle = room?.ffiHandle?.handle;
      if (
        room !== undefined &&
        handle !== undefined &&
        kind !== 'rpcMethodInvocation' &&
        (kind !== 'roomEvent' || handle !== target)
      ) {
        continue;
      }
      listener.call(client, event);
    }
    return listeners.length > 0;
  };
  installed = true;
}

/**
 * Registers `room` for routing; call right after `room.connect(...)` was called (the SDK creates
 * its client and adds the room's handler synchronously at the start of connect).
 */
export function routeRoomEvents(room: Room): void {
  const internals = room as unknown as RoomInternals;
  if (typeof internals.onFfiEvent !== 'function') return;
  if (!installed) {
    const client = ffiClient();
    if (client === undefined) return;
    install(client);
  }
  rooms.set(internals.onFfiEvent as Listener, internals);
}
