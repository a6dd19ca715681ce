import { z } from 'zod';
import { IntegrityEventSchema } from './integrity-event';
import { MetricSampleSchema } from './metric-sample';

/** Data-channel topic every message of ours travels on; other topics are ignored. */
export const DATA_TOPIC = 'live-interview.v1';

/** Hard cap on one encoded data packet, checked before parsing. Samples are ~700 bytes. */
export const MAX_PACKET_BYTES = 4096;

/**
 * The recorder's cumulative acknowledgement: every message of `stream` up to and including
 * `upToSeq` is stored. LiveKit's reliable data is best-effort across reconnects, so the
 * candidate keeps what is unacknowledged and sends it again.
 */
export const AckSchema = z
  .object({
    type: z.literal('ack'),
    v: z.literal(1),
    stream: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/),
    upToSeq: z.number().int().min(-1),
    /** Stored messages above the contiguous prefix (selective acknowledgement). */
    seqs: z.array(z.number().int().nonnegative()).max(256).optional(),
  })
  .strict();
export type Ack = z.infer<typeof AckSchema>;

/**
 * Recorder -> candidate control. `recorder_ready`: the recorder has (re)joined the room, so
 * whatever was sent while it was away may be lost and is due again. `closing`: the interview is
 * being completed; the page sends what it still holds and answers `drained` within
 * `deadlineMs`, after which the recorder finalises anyway.
 */
export const RecorderReadySchema = z
  .object({ type: z.literal('recorder_ready'), v: z.literal(1) })
  .strict();
export const ClosingSchema = z
  .object({
    type: z.literal('closing'),
    v: z.literal(1),
    deadlineMs: z.number().int().min(0).max(60_000),
  })
  .strict();
export type Closing = z.infer<typeof ClosingSchema>;

/** Everything the recorder sends to the candidate, dispatched on `type`. */
export const RecorderMessageSchema = z.discriminatedUnion('type', [
  AckSchema,
  RecorderReadySchema,
  ClosingSchema,
]);
export type RecorderMessage = z.infer<typeof RecorderMessageSchema>;

/**
 * Candidate -> recorder answer to `closing`: the page's outbox has been drained (`pending`
 * messages of `stream` are still unacknowledged when it gave up waiting). Stored nowhere.
 */
export const DrainedSchema = z
  .object({
    type: z.literal('drained'),
    v: z.literal(1),
    stream: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/),
    pending: z.number().int().min(0).max(100_000),
  })
  .strict();
export type Drained = z.infer<typeof DrainedSchema>;

/** What the candidate sends: the only messages the recorder stores. */
export const CandidateMessageSchema = z.discriminatedUnion('type', [
  MetricSampleSchema,
  IntegrityEventSchema,
]);
export type CandidateMessage = z.infer<typeof CandidateMessageSchema>;

/** Every packet the candidate may send on DATA_TOPIC: evidence, or the answer to `closing`. */
export const CandidatePacketSchema = z.discriminatedUnion('type', [
  MetricSampleSchema,
  IntegrityEventSchema,
  DrainedSchema,
]);
export type CandidatePacket = z.infer<typeof CandidatePacketSchema>;

export type DecodeResult<T> = { ok: true; message: T } | { ok: false; reason: string };

/** Parses one packet: size first, then JSON, then the schema, each failure with a reason. */
export function decodePacket<T>(bytes: Uint8Array, schema: z.ZodType<T>): DecodeResult<T> {
  if (bytes.byteLength > MAX_PACKET_BYTES) {
    return { ok: false, reason: `packet of ${bytes.byteLength} bytes exceeds ${MAX_PACKET_BYTES}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return { ok: false, reason: `not UTF-8 JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: formatIssues(parsed.error) };
  return { ok: true, message: parsed.data };
}

export function encodePacket(message: CandidatePacket | RecorderMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

/** One line naming each failing path, for logs and 400 bodies. */
export function formatIssues(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}
