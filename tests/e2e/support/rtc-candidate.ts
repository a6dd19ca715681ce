import { Room, RoomEvent } from '@livekit/rtc-node';
import { stopNativeLogCapture } from '../../../server/recorder/native-logs';
import { JoinResponseSchema, type JoinResponse } from '../../../shared/api/interview-api';
import {
  DATA_TOPIC,
  RecorderMessageSchema,
  decodePacket,
  type Ack,
  type RecorderMessage,
} from '../../../shared/protocol/data-message';
import type { MetricSample } from '../../../shared/protocol/metric-sample';
import { makeSample } from '../../../shared/scoring/test-fixtures';

// As the server's recorders do: the SDK's native log capture only costs CPU (native-logs.ts).
stopNativeLogCapture();

/** The link token of a candidate or interviewer URL (`/c/<token>`, `/i/<token>`). */
export function linkToken(url: string): string {
  return new URL(url).pathname.split('/')[2] ?? '';
}

/** Asks the app for a LiveKit token as the page does (POST /api/links/:token/join). */
export async function requestJoin(appUrl: string, linkUrl: string): Promise<JoinResponse> {
  const res = await fetch(`${appUrl}/api/links/${linkToken(linkUrl)}/join`, { method: 'POST' });
  if (!res.ok) throw new Error(`join: HTTP ${res.status} ${await res.text()}`);
  return JoinResponseSchema.parse(await res.json());
}

/**
 * A scripted participant over @livekit/rtc-node holding a real token from the app: it sends
 * whatever bytes a test wants on any topic, and keeps every message the recorder sent it.
 * It answers the recorder's `closing` with `drained` for `stream`, as the candidate page does.
 */
export class RtcParticipant {
  readonly room = new Room();
  readonly received: RecorderMessage[] = [];
  private constructor(readonly join: JoinResponse) {}

  static async connect(join: JoinResponse, answerClosingFor?: string): Promise<RtcParticipant> {
    const p = new RtcParticipant(join);
    p.room.on(RoomEvent.DataReceived, (payload: Uint8Array, _participant, _kind, topic) => {
      if (topic !== DATA_TOPIC) return;
      const decoded = decodePacket(payload, RecorderMessageSchema);
      if (!decoded.ok) return;
      p.received.push(decoded.message);
      if (decoded.message.type === 'closing' && answerClosingFor !== undefined) {
        void p.sendJson({ type: 'drained', v: 1, stream: answerClosingFor, pending: 0 });
      }
    });
    await p.room.connect(join.livekit_url, join.token, { autoSubscribe: false, dynacast: false });
    return p;
  }

  /** Whether the recorder said it knows this participant (`recorder_ready`). */
  get ready(): boolean {
    return this.received.some((m) => m.type === 'recorder_ready');
  }

  acks(stream: string): Ack[] {
    return this.received.filter((m): m is Ack => m.type === 'ack' && m.stream === stream);
  }

  /** Highest seq of `stream` the recorder acknowledged cumulatively; -1 before any. */
  ackedUpTo(stream: string): number {
    return Math.max(-1, ...this.acks(stream).map((a) => a.upToSeq));
  }

  async send(bytes: Uint8Array, topic: string = DATA_TOPIC): Promise<void> {
    await this.room.localParticipant?.publishData(bytes, {
      reliable: true,
      topic,
      destination_identities: [this.join.recorder_identity],
    });
  }

  sendJson(value: unknown, topic: string = DATA_TOPIC): Promise<void> {
    return this.send(new TextEncoder().encode(JSON.stringify(value)), topic);
  }

  async close(): Promise<void> {
    await this.room.disconnect();
  }
}

/** A valid one-second sample of `stream` ending now on this machine's clock. */
export function sampleNow(stream: string, seq: number, endMs = Date.now()): MetricSample {
  return makeSample({ stream, seq, windowStartMs: endMs - 1000, windowEndMs: endMs });
}
