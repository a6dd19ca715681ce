/**
 * A recorder worker without LiveKit, for the pool's tests (recorder-pool.test.ts): it speaks the
 * real IPC protocol. A join whose URL ends in `/fail` fails; a published payload starting with
 * byte 0xff fails; any other published payload comes back as data from `candidate` on topic
 * `echo`, so a test sees bytes cross both ways.
 */
import { WorkerRequestSchema, type WorkerReport } from '../recorder/worker/messages';

const rooms = new Set<number>();

function report(message: WorkerReport): void {
  if (process.connected) process.send?.(message);
}

process.on('message', (raw: unknown) => {
  const request = WorkerRequestSchema.parse(raw);
  switch (request.type) {
    case 'connect':
      if (request.url.endsWith('/fail')) {
        report({ type: 'connect_failed', room: request.room, error: 'no such room' });
        return;
      }
      rooms.add(request.room);
      report({
        type: 'connected',
        room: request.room,
        roomName: request.token,
        participants: ['interviewer'],
      });
      return;
    case 'publish':
      if (request.payload[0] === 0xff) {
        report({ type: 'done', request: request.request, error: 'publish refused' });
        return;
      }
      report({ type: 'done', request: request.request });
      report({
        type: 'data',
        room: request.room,
        payload: request.payload,
        identity: 'candidate',
        topic: 'echo',
      });
      return;
    case 'close':
      rooms.delete(request.room);
      report({ type: 'done', request: request.request });
      return;
    case 'shutdown':
      process.exit(0);
  }
});

process.on('disconnect', () => {
  process.exit(0);
});

report({ type: 'ready' });
