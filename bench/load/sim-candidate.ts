/**
 * One simulated candidate: a real candidate token from the API, an @livekit/rtc-node
 * participant, and the page's delivery rules (web/src/monitor/outbox.ts): nothing is sent before
 * the recorder's `recorder_ready` (or 5 s without it), every message stays in the outbox until
 * acknowledged and is re-sent with back-off (the page's own outbox-core), sending is paced at
 * 20 messages/s, and a later `recorder_ready` makes everything pending due again.
 */
import { Room, RoomEvent } from '@livekit/rtc-node';
import { JoinResponseSchema, type JoinResponse } from '../../shared/api/interview-api';
import {
  DATA_TOPIC,
  RecorderMessageSchema,
  decodePacket,
  encodePacket,
} from '../../shared/protocol/data-message';
import { IntegrityEventSchema, type IntegrityEvent } from '../../shared/protocol/integrity-event';
import { MetricSampleSchema, compactSample } from '../../shared/protocol/metric-sample';
import { makeSample } from '../../shared/scoring/test-fixtures';
import { createOutboxCore, type OutboxCore } from '../../web/src/monitor/outbox-core';
import { routeRoomEvents } from '../../server/recorder/ffi-routing';
import { AckLedger } from './accounting';

/** As the page: wait this long for the greeting, then send anyway. */
const GREETING_WAIT_MS = 5000;
/** The page's paced drain: 20 messages/s, checked every 100 ms. */
const TICK_MS = 100;
const SENDS_PER_TICK = 2;
const CONNECT_TIMEOUT_MS = 30_000;

export interface CandidateTimings {
  /** POST /join answered. */
  apiMs: number;
  /** LiveKit connected. */
  connectMs: number;
  /** `recorder_ready` arrived (NaN if it did not within GREETING_WAIT_MS). */
  greetingMs: number;
}

export interface FlagPublish {
  interviewId: string;
  eventId: string;
  publishedAtMs: number;
}

export class SimCandidate {
  readonly room = new Room();
  readonly stream: string;
  readonly ledger: AckLedger;
  private readonly outbox: OutboxCore;
  private join: JoinResponse | undefined;
  private greeted = false;
  private sendingAllowed = false;
  private timer: NodeJS.Timeout | undefined;
  private producer: NodeJS.Timeout | undefined;
  private sampleSeconds = 0;
  private eventCount = 0;
  private openEvent: { eventId: string; startMs: number; endAtMs: number } | undefined;
  private nextEventAtMs: number;
  sends = 0;
  sendErrors = 0;
  created = 0;
  readonly flagPublishes: FlagPublish[] = [];

  constructor(
    readonly index: number,
    readonly interviewId: string,
    readonly candidateToken: string,
    private readonly random: () => number,
  ) {
    this.stream = `load-${String(index).padStart(4, '0')}-${Date.now().toString(36)}`;
    this.ledger = new AckLedger(this.stream);
    this.outbox = createOutboxCore({ stream: this.stream });
    this.nextEventAtMs = Date.now() + 5000 + random() * 15_000;
  }

  /** API join, LiveKit connect, greeting; resolves with the timings (throws on failure). */
  async connect(appUrl: string): Promise<CandidateTimings> {
    const t0 = performance.now();
    const res = await fetch(`${appUrl}/api/links/${this.candidateToken}/join`, {
      method: 'POST',
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) throw new Error(`join: HTTP ${String(res.status)} ${await res.text()}`);
    const join = JoinResponseSchema.parse(await res.json());
    this.join = join;
    const apiMs = performance.now() - t0;
    const greeting = new Promise<void>((resolve) => {
      this.room.on(RoomEvent.DataReceived, (payload: Uint8Array, _p, _kind, topic) => {
        if (topic !== DATA_TOPIC) return;
        const decoded = decodePacket(payload, RecorderMessageSchema);
        if (!decoded.ok) return;
        const m = decoded.message;
        if (m.type === 'ack') {
          this.ledger.apply(m);
          this.outbox.ack(m, Date.now());
        } else if (m.type === 'recorder_ready') {
          if (this.greeted) this.outbox.markAllDue();
          this.greeted = true;
          this.sendingAllowed = true;
          resolve();
        } else {
          void this.publish(
            encodePacket({
              type: 'drained',
              v: 1,
              stream: this.stream,
              pending: this.outbox.pendingCount(),
            }),
          );
        }
      });
    });
    // Bounded: a connect that never settles must not hold the step (or Ctrl-C) forever.
    let timer: NodeJS.Timeout | undefined;
    try {
      const connecting = this.room.connect(join.livekit_url, join.token, {
        autoSubscribe: false,
        dynacast: false,
      });
      // The same per-room event routing as the server's workers, so the bench measures the server.
      routeRoomEvents(this.room);
      await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`LiveKit connect took over ${String(CONNECT_TIMEOUT_MS)} ms`));
          }, CONNECT_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    const connectMs = performance.now() - t0;
    const greeted = await Promise.race([
      greeting.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), GREETING_WAIT_MS)),
    ]);
    this.sendingAllowed = true;
    return { apiMs, connectMs, greetingMs: greeted ? performance.now() - t0 : Number.NaN };
  }

  /** Starts a sample every second, an integrity event now and then, and the paced sender. */
  start(): void {
    this.producer = setInterval(() => this.produce(), 1000);
    this.timer = setInterval(() => void this.pump(), TICK_MS);
  }

  /** Stops producing (an open event is ended first); the sender keeps draining. */
  stopProducing(): void {
    if (this.producer !== undefined) clearInterval(this.producer);
    this.producer = undefined;
    if (this.openEvent !== undefined) this.endEvent(Date.now());
  }

  /** Stops the paced sender too (after the drain), so reading the records back is not starved. */
  quiesce(): void {
    this.stopProducing();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  pending(): number {
    return this.outbox.pendingCount();
  }

  async close(): Promise<void> {
    this.stopProducing();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    // Bounded: under load the SDK's disconnect has been seen never to settle.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.room.disconnect().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CONNECT_TIMEOUT_MS / 3);
      }),
    ]);
    clearTimeout(timer);
  }

  private produce(): void {
    const now = Date.now();
    // Window on the server's clock (same machine), ending now: within the interview's life.
    const sample = MetricSampleSchema.parse(
      compactSample(
        makeSample({
          stream: this.stream,
          seq: this.outbox.peekSeq(),
          windowStartMs: now - 1000,
          windowEndMs: now,
          focusConsistency: 0.7 + 0.3 * this.random(),
        }),
      ),
    );
    this.add(sample, now);
    this.sampleSeconds += 1;
    if (this.openEvent !== undefined && now >= this.openEvent.endAtMs) this.endEvent(now);
    else if (this.openEvent === undefined && now >= this.nextEventAtMs) this.startEvent(now);
  }

  private startEvent(now: number): void {
    const eventId = `ld${String(this.index)}e${String(this.eventCount)}`;
    this.eventCount += 1;
    this.add(this.event(eventId, 'start', now, null), now);
    this.flagPublishes.push({ interviewId: this.interviewId, eventId, publishedAtMs: now });
    this.openEvent = { eventId, startMs: now, endAtMs: now + 2000 + this.random() * 3000 };
  }

  private endEvent(now: number): void {
    const open = this.openEvent;
    if (open === undefined) return;
    this.add(this.event(open.eventId, 'end', open.startMs, now), now);
    this.openEvent = undefined;
    this.nextEventAtMs = now + 10_000 + this.random() * 20_000;
  }

  private event(
    eventId: string,
    phase: 'start' | 'end',
    startMs: number,
    endMs: number | null,
  ): IntegrityEvent {
    return IntegrityEventSchema.parse({
      type: 'integrity_event',
      v: 1,
      stream: this.stream,
      seq: this.outbox.peekSeq(),
      eventId,
      kind: 'looking_away',
      phase,
      startMs,
      endMs,
      durationMs: endMs === null ? null : endMs - startMs,
      details: {},
    });
  }

  private add(message: Parameters<OutboxCore['add']>[0], now: number): void {
    this.outbox.add(message, now);
    this.created += 1;
    // At once, as the page's outbox flushes on every post: waiting for the next tick added up to
    // 100 ms to every flag's measured latency that a real candidate's page does not have.
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (!this.sendingAllowed || this.join === undefined) return;
    const now = Date.now();
    for (const message of this.outbox.due(now, SENDS_PER_TICK)) {
      this.outbox.markSent(message.seq, now);
      this.sends += 1;
      await this.publish(encodePacket(message));
    }
  }

  private async publish(bytes: Uint8Array): Promise<void> {
    const join = this.join;
    if (join === undefined) return;
    try {
      await this.room.localParticipant?.publishData(bytes, {
        reliable: true,
        topic: DATA_TOPIC,
        destination_identities: [join.recorder_identity],
      });
    } catch {
      // Counted; the outbox re-sends it after its back-off as the page would.
      this.sendErrors += 1;
    }
  }
}
