import { z } from 'zod';

/**
 * The IPC protocol between the server and its recorder workers (child processes holding the
 * rtc-node rooms; see recorder-pool.ts). Sent with Node's `advanced` serialization, so payloads
 * travel as Uint8Array without JSON or base64. Every message is parsed on arrival on both sides.
 */

/** A room's number, unique within one pool for the server's lifetime. */
const RoomKey = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const RequestId = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Identity = z.string().max(256);
/**
 * Far above what LiveKit carries in one data packet (and the protocol's own 4 KiB limit, which
 * the recorder enforces with a logged rejection): a bound on IPC, not the protocol check.
 */
export const MAX_IPC_PAYLOAD_BYTES = 1 << 20;
const Payload = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected bytes')
  .refine((b) => b.byteLength <= MAX_IPC_PAYLOAD_BYTES, 'payload too large for IPC');
const Reason = z.string().max(2000);

/** Server -> worker. */
export const WorkerRequestSchema = z.discriminatedUnion('type', [
  /** Join the room as the recorder; answered by `connected` or `connect_failed`. */
  z.object({
    type: z.literal('connect'),
    room: RoomKey,
    url: z
      .string()
      .regex(/^wss?:\/\//)
      .max(2000),
    token: z.string().min(1).max(8000),
  }),
  /** Publish to the candidate; answered by `done` once publishData settled. */
  z.object({ type: z.literal('publish'), room: RoomKey, request: RequestId, payload: Payload }),
  /** Leave the room; answered by `done`. */
  z.object({ type: z.literal('close'), room: RoomKey, request: RequestId }),
  /** Leave every room and exit. */
  z.object({ type: z.literal('shutdown') }),
]);
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;

/** Worker -> server: answers, and what each room heard, in the room's order. */
export const WorkerReportSchema = z.discriminatedUnion('type', [
  /** Loaded and listening; sent once at start. */
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('connected'),
    room: RoomKey,
    roomName: z.string().max(256),
    participants: z.array(Identity).max(1000),
  }),
  z.object({ type: z.literal('connect_failed'), room: RoomKey, error: Reason }),
  z.object({
    type: z.literal('data'),
    room: RoomKey,
    payload: Payload,
    identity: Identity.optional(),
    topic: z.string().max(256).optional(),
  }),
  z.object({ type: z.literal('speakers'), room: RoomKey, identities: z.array(Identity).max(1000) }),
  z.object({
    type: z.literal('quality'),
    room: RoomKey,
    identity: Identity,
    quality: z.enum(['excellent', 'good', 'poor', 'lost']),
  }),
  z.object({
    type: z.literal('participant'),
    room: RoomKey,
    identity: Identity,
    joined: z.boolean(),
  }),
  z.object({ type: z.literal('lost'), room: RoomKey, reason: Reason }),
  /** Answers `publish` and `close`; `error` set when it failed. */
  z.object({ type: z.literal('done'), request: RequestId, error: Reason.optional() }),
]);
export type WorkerReport = z.infer<typeof WorkerReportSchema>;
