/**
 * Messages between the load bench and its candidate shards (child processes each running some of
 * the simulated candidates, so the SDK's per-process cost, which grows with the square of the
 * rooms in a process, does not make the bench itself the bottleneck).
 */
import { z } from 'zod';

const Index = z.number().int().min(0).max(10_000);

export const ShardCommandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    index: Index,
    interviewId: z.string().max(100),
    candidateToken: z.string().max(200),
    appUrl: z.string().max(200),
    seed: z.number().int(),
  }),
  z.object({ type: z.literal('start'), index: Index }),
  z.object({ type: z.literal('stop_producing') }),
  z.object({ type: z.literal('quiesce') }),
  /** Answered by `final` per candidate, then `reported`. */
  z.object({ type: z.literal('report') }),
  /** Answered by `closed`. */
  z.object({ type: z.literal('close') }),
]);
export type ShardCommand = z.infer<typeof ShardCommandSchema>;

const Ledger = z.object({
  stream: z.string(),
  upTo: z.number().int(),
  extra: z.array(z.number().int()),
});

export const ShardReportSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('connected'),
    index: Index,
    stream: z.string(),
    apiMs: z.number(),
    connectMs: z.number(),
    greetingMs: z.number().nullable(),
  }),
  z.object({ type: z.literal('connect_failed'), index: Index, error: z.string() }),
  /** Sent every 250 ms: what the drain loop polls. */
  z.object({
    type: z.literal('pending'),
    pending: z.array(z.object({ index: Index, count: z.number().int() })),
  }),
  z.object({
    type: z.literal('final'),
    index: Index,
    created: z.number().int(),
    sends: z.number().int(),
    sendErrors: z.number().int(),
    pending: z.number().int(),
    ledger: Ledger,
    flagPublishes: z.array(
      z.object({ interviewId: z.string(), eventId: z.string(), publishedAtMs: z.number() }),
    ),
  }),
  z.object({ type: z.literal('reported') }),
  z.object({ type: z.literal('closed') }),
]);
export type ShardReport = z.infer<typeof ShardReportSchema>;
