import { RoomEvent, type Room } from 'livekit-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DATA_TOPIC, encodePacket } from '../../../shared/protocol/data-message';
import { createOutbox } from './outbox';

const RECORDER = 'recorder-1';
const STREAM = 'stream_outbox_1';

/** A connected room whose publishData records packets; the test plays the recorder. */
function fakeRoom() {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const sent: { seq: number; to: string[] }[] = [];
  const room = {
    state: 'connected',
    on(event: string, listener: (...args: unknown[]) => void) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return room;
    },
    off(event: string, listener: (...args: unknown[]) => void) {
      listeners.set(
        event,
        (listeners.get(event) ?? []).filter((l) => l !== listener),
      );
      return room;
    },
    emit(event: string, ...args: unknown[]) {
      for (const listener of listeners.get(event) ?? []) listener(...args);
    },
    localParticipant: {
      publishData: (
        bytes: Uint8Array,
        options: { destinationIdentities: string[]; topic: string },
      ) => {
        expect(options.topic).toBe(DATA_TOPIC);
        const { seq } = JSON.parse(new TextDecoder().decode(bytes)) as { seq: number };
        sent.push({ seq, to: options.destinationIdentities });
        return Promise.resolve();
      },
    },
  };
  const ack = (upToSeq: number, from = RECORDER): void =>
    room.emit(
      RoomEvent.DataReceived,
      encodePacket({ type: 'ack', v: 1, stream: STREAM, upToSeq }),
      { identity: from },
      undefined,
      DATA_TOPIC,
    );
  return { room, sent, ack };
}

function postEvent(outbox: ReturnType<typeof createOutbox>) {
  return outbox.post((header) => ({
    type: 'integrity_event',
    v: 1,
    ...header,
    eventId: 'evt_1234',
    kind: 'paste',
    phase: 'instant',
    startMs: 1,
    endMs: null,
    durationMs: null,
    details: { textLength: 4 },
  }));
}

describe('outbox over LiveKit', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends to the recorder only, and re-sends until acknowledged', async () => {
    const { room, sent, ack } = fakeRoom();
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
      nowMs: Date.now,
    });
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ seq: 0, to: [RECORDER] }]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.map((s) => s.seq)).toEqual([0, 0]);
    ack(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toHaveLength(2);
    expect(outbox.stats().pending).toBe(0);
    outbox.stop();
  });

  it('ignores acks from anyone but the recorder', async () => {
    const { room, ack } = fakeRoom();
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
    });
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    ack(0, 'interviewer');
    expect(outbox.stats().pending).toBe(1);
    outbox.stop();
  });

  it('re-sends everything at once after a reconnect or when the recorder rejoins', async () => {
    const { room, sent } = fakeRoom();
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
    });
    postEvent(outbox);
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    room.emit(RoomEvent.Reconnected);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.seq)).toEqual([0, 1, 0, 1]);
    room.emit(RoomEvent.ParticipantConnected, { identity: 'someone' });
    room.emit(RoomEvent.ParticipantConnected, { identity: RECORDER });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.seq)).toEqual([0, 1, 0, 1, 0, 1]);
    outbox.stop();
  });

  it('holds messages while reconnecting', async () => {
    const { room, sent } = fakeRoom();
    room.state = 'reconnecting';
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
    });
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);
    room.state = 'connected';
    room.emit(RoomEvent.Reconnected);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.seq)).toEqual([0]);
    outbox.stop();
  });

  it('refuses an invalid message without using up its seq', () => {
    const { room } = fakeRoom();
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
    });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const bad = outbox.post((header) => ({
      type: 'integrity_event',
      v: 1,
      ...header,
      eventId: '!',
      kind: 'paste',
      phase: 'instant',
      startMs: 1,
      endMs: null,
      durationMs: null,
      details: {},
    }));
    expect(bad).toBeNull();
    expect(postEvent(outbox)?.seq).toBe(0);
    outbox.stop();
  });
});
