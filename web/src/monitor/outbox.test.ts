import { RoomEvent, type Room } from 'livekit-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DATA_TOPIC,
  encodePacket,
  type RecorderMessage,
} from '../../../shared/protocol/data-message';
import { createOutbox } from './outbox';

const RECORDER = 'recorder-1';
const STREAM = 'stream_outbox_1';

/** A connected room whose publishData records packets; the test plays the recorder. */
function fakeRoom() {
  const listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  const sent: { seq: number; to: string[] }[] = [];
  const control: unknown[] = [];
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
        const message = JSON.parse(new TextDecoder().decode(bytes)) as { seq?: number };
        if (message.seq === undefined) control.push(message);
        else sent.push({ seq: message.seq, to: options.destinationIdentities });
        return Promise.resolve();
      },
    },
  };
  /** As livekit-client delivers the hidden recorder's packets: with no participant. */
  const fromRecorder = (message: RecorderMessage, participant?: { identity: string }): void =>
    room.emit(RoomEvent.DataReceived, encodePacket(message), participant, undefined, DATA_TOPIC);
  const ack = (upToSeq: number, from?: string): void =>
    fromRecorder(
      { type: 'ack', v: 1, stream: STREAM, upToSeq },
      from === undefined ? undefined : { identity: from },
    );
  const greet = (): void => fromRecorder({ type: 'recorder_ready', v: 1 });
  return { room, sent, control, ack, greet, fromRecorder };
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

  function greetedOutbox(extra: Partial<Parameters<typeof createOutbox>[0]> = {}) {
    const fake = fakeRoom();
    const outbox = createOutbox({
      room: fake.room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
      ...extra,
    });
    fake.greet();
    return { ...fake, outbox };
  }

  it('sends to the recorder only, and re-sends with back-off until acknowledged', async () => {
    const { sent, ack, outbox } = greetedOutbox();
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ seq: 0, to: [RECORDER] }]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(sent.map((s) => s.seq)).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent.map((s) => s.seq)).toEqual([0, 0]); // next after 6 s, not 3
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.seq)).toEqual([0, 0, 0]);
    ack(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(3);
    expect(outbox.stats().pending).toBe(0);
    outbox.stop();
  });

  it('takes acks that come with no participant (the hidden recorder) or as the recorder', async () => {
    const { ack, outbox } = greetedOutbox();
    postEvent(outbox);
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    ack(0);
    expect(outbox.stats().pending).toBe(1);
    ack(1, RECORDER);
    expect(outbox.stats().pending).toBe(0);
    outbox.stop();
  });

  it('ignores acks from another known participant', async () => {
    const { ack, outbox } = greetedOutbox();
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    ack(0, 'interviewer');
    expect(outbox.stats().pending).toBe(1);
    outbox.stop();
  });

  it('in steady state, every message is sent exactly once', async () => {
    const { sent, ack, outbox } = greetedOutbox();
    for (let i = 0; i < 120; i += 1) {
      const message = postEvent(outbox);
      await vi.advanceTimersByTimeAsync(50);
      if (message) ack(message.seq);
      await vi.advanceTimersByTimeAsync(950);
    }
    expect(sent).toHaveLength(120);
    expect(outbox.stats()).toMatchObject({ sent: 120, resent: 0, pending: 0 });
    outbox.stop();
  });

  it('waits for the recorder to greet it, or sends anyway after the fallback', async () => {
    const { room, sent, greet } = fakeRoom();
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
      readyFallbackMs: 5000,
    });
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([]);
    greet();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.seq)).toEqual([0]);
    outbox.stop();

    const late = fakeRoom();
    const unanswered = createOutbox({
      room: late.room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
      readyFallbackMs: 5000,
    });
    postEvent(unanswered);
    await vi.advanceTimersByTimeAsync(4900);
    expect(late.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(late.sent.map((s) => s.seq)).toEqual([0]);
    unanswered.stop();
  });

  it('re-sends everything at once after a reconnect or when the recorder greets it again', async () => {
    const { room, sent, greet, outbox } = greetedOutbox();
    postEvent(outbox);
    postEvent(outbox);
    await vi.advanceTimersByTimeAsync(0);
    room.emit(RoomEvent.Reconnected);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.seq)).toEqual([0, 1, 0, 1]);
    room.emit(RoomEvent.ParticipantConnected, { identity: 'someone' });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(4);
    greet();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.seq)).toEqual([0, 1, 0, 1, 0, 1]);
    outbox.stop();
  });

  it('drains a backlog at the paced rate, new messages first', async () => {
    const { room, sent, greet } = fakeRoom();
    room.state = 'reconnecting';
    const outbox = createOutbox({
      room: room as unknown as Room,
      recorderIdentity: RECORDER,
      stream: STREAM,
      sendRatePerS: 20,
      sendBurst: 20,
    });
    for (let i = 0; i < 300; i += 1) {
      postEvent(outbox);
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(sent).toEqual([]);
    room.state = 'connected';
    room.emit(RoomEvent.Reconnected);
    greet();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(20);
    const live = postEvent(outbox);
    await vi.advanceTimersByTimeAsync(300);
    // The message posted now goes with the next refill, not behind 280 older ones.
    expect(sent.length).toBeLessThanOrEqual(27);
    expect(sent.map((s) => s.seq)).toContain(live?.seq);
    await vi.advanceTimersByTimeAsync(5000);
    // 20 at once, then 20 a second: about 120 after 5 s, never the whole backlog.
    expect(sent.length).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(125);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(new Set(sent.map((s) => s.seq)).size).toBe(301);
    outbox.stop();
  });

  it("answers the recorder's closing with drained once everything is acknowledged", async () => {
    const { sent, control, ack, fromRecorder, outbox } = greetedOutbox();
    postEvent(outbox);
    fromRecorder({ type: 'closing', v: 1, deadlineMs: 5000 });
    await vi.advanceTimersByTimeAsync(100);
    expect(control).toEqual([]);
    ack(sent.at(-1)?.seq ?? -1);
    await vi.advanceTimersByTimeAsync(300);
    expect(control).toEqual([{ type: 'drained', v: 1, stream: STREAM, pending: 0 }]);
    outbox.stop();
  });

  it('holds messages while reconnecting', async () => {
    const { room, sent, outbox } = greetedOutbox();
    room.state = 'reconnecting';
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
