import { afterEach, describe, expect, test } from 'vitest';
import { silentLogger } from '../../log/logger';
import type { RoomLink, RoomLinkEvents } from '../room-link';
import { RecorderWorkerExitedError, RecorderWorkerRequestError } from './errors';
import { RecorderPool } from './recorder-pool';

/** Real child processes running a LiveKit-free worker that speaks the real IPC protocol. */
const FAKE_WORKER = new URL('../../testing/fake-room-worker.ts', import.meta.url);

interface Heard {
  data: { payload: Uint8Array; identity: string | undefined; topic: string | undefined }[];
  lost: string[];
}

function listener(): { events: RoomLinkEvents; heard: Heard } {
  const heard: Heard = { data: [], lost: [] };
  return {
    heard,
    events: {
      onData: (payload, identity, topic) => heard.data.push({ payload, identity, topic }),
      onSpeakers: () => undefined,
      onQuality: () => undefined,
      onParticipant: () => undefined,
      onLost: (reason) => heard.lost.push(reason),
    },
  };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  // Bounded by the test runner's timeout; no clock assertion.
  for (let i = 0; !condition(); i += 1) {
    if (i > 2000) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RecorderPool', () => {
  let pool: RecorderPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  async function newPool(workers: number, softRoomsPerWorker?: number): Promise<RecorderPool> {
    const p = new RecorderPool({
      workers,
      ...(softRoomsPerWorker === undefined ? {} : { softRoomsPerWorker }),
      log: silentLogger,
      logLevel: 'error',
      workerModule: FAKE_WORKER,
      respawnFirstDelayMs: 10,
    });
    pool = p;
    await p.started();
    return p;
  }

  async function join(p: RecorderPool, name: string, url = 'ws://fake') {
    const { events, heard } = listener();
    const link: RoomLink = await p.openLink({ url, token: name, events, log: silentLogger });
    return { link, heard };
  }

  test('rooms go to the least-loaded worker; bytes cross both ways; publish errors reject', async () => {
    const p = await newPool(2);
    const a = await join(p, 'room-a');
    const b = await join(p, 'room-b');
    const c = await join(p, 'room-c');
    expect(a.link.roomName).toBe('room-a');
    expect(a.link.participants).toEqual(['interviewer']);
    expect(
      p
        .load()
        .map((w) => w.rooms)
        .sort(),
    ).toEqual([1, 2]);
    expect(p.pidHolding('room-a')).not.toBe(p.pidHolding('room-b'));

    await a.link.publishToCandidate(new Uint8Array([1, 2, 3]));
    await a.link.publishToCandidate(new Uint8Array([4]));
    await until(() => a.heard.data.length === 2, 'the echoes');
    expect(a.heard.data.map((d) => [...d.payload])).toEqual([[1, 2, 3], [4]]);
    expect(a.heard.data[0]?.payload).toBeInstanceOf(Uint8Array);
    expect(a.heard.data[0]).toMatchObject({ identity: 'candidate', topic: 'echo' });
    expect(b.heard.data).toEqual([]);

    await expect(c.link.publishToCandidate(new Uint8Array([0xff]))).rejects.toBeInstanceOf(
      RecorderWorkerRequestError,
    );
    await c.link.close();
    expect(p.load().reduce((sum, w) => sum + w.rooms, 0)).toBe(2);
  });

  test('a join the worker refuses rejects with its reason', async () => {
    const p = await newPool(1);
    await expect(join(p, 'room-x', 'ws://fake/fail')).rejects.toThrow('no such room');
    expect(p.load()[0]?.rooms).toBe(0);
  });

  test('a killed worker loses its rooms only, fails what was pending, and is replaced', async () => {
    const p = await newPool(2);
    const a = await join(p, 'room-a');
    const b = await join(p, 'room-b');
    const pidA = p.pidHolding('room-a');
    expect(pidA).not.toBeNull();
    process.kill(pidA ?? 0, 'SIGKILL');
    await until(() => a.heard.lost.length === 1, 'room A reported lost');
    expect(a.heard.lost[0]).toMatch(/exited \(signal SIGKILL\)/);
    expect(b.heard.lost).toEqual([]);
    // The lost room refuses to publish; the other still publishes.
    await expect(a.link.publishToCandidate(new Uint8Array([1]))).rejects.toBeInstanceOf(
      RecorderWorkerExitedError,
    );
    await b.link.publishToCandidate(new Uint8Array([7]));

    await until(
      () => p.workerPids().every((pid) => pid !== null && pid !== pidA),
      'a new worker in place of the killed one',
    );
    await p.started();
    // The rejoin lands on the new, empty worker.
    const again = await join(p, 'room-a');
    expect(p.pidHolding('room-a')).not.toBe(pidA);
    expect(p.pidHolding('room-a')).not.toBe(p.pidHolding('room-b'));
    await again.link.publishToCandidate(new Uint8Array([9]));
    await until(() => again.heard.data.length === 1, 'the echo after the rejoin');
  });

  test('while a worker restarts, new rooms wait for it rather than overfill the survivor', async () => {
    const p = await newPool(2, 1);
    await join(p, 'room-a');
    const killed = p.pidHolding('room-a');
    process.kill(killed ?? 0, 'SIGKILL');
    await until(() => p.pidHolding('room-a') === null, 'room A gone');
    // The survivor takes one room (its soft limit), the next waits for the restarted worker.
    await join(p, 'room-b');
    await join(p, 'room-c');
    const [b, c] = [p.pidHolding('room-b'), p.pidHolding('room-c')];
    expect(b).not.toBeNull();
    expect(c).not.toBeNull();
    expect(c).not.toBe(b);
    expect(c).not.toBe(killed);
  });

  test('close() stops every worker and refuses new rooms', async () => {
    const p = await newPool(2);
    await join(p, 'room-a');
    const pids = p.workerPids();
    await p.close();
    for (const pid of pids) expect(() => process.kill(pid ?? 0, 0)).toThrow();
    await expect(join(p, 'room-b')).rejects.toThrow('closed');
  });
});
