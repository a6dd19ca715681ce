import { AckSchema, type Ack } from '../../shared/protocol/data-message';

/** The most selective seqs one ack carries (AckSchema's bound). */
const MAX_SELECTIVE = 256;

/**
 * Acknowledgements to the candidate, at most one publish in flight per room.
 *
 * Why: an ack used to be published per stored packet and awaited in the room's serial chain, so
 * a room handled its next packet only after the previous ack's round trip (server -> recorder
 * worker -> LiveKit's native publish and back). Under load that round trip grew, packets queued,
 * the candidate's re-send timer fired and every re-send queued another ack: a re-send storm.
 * Now storing never waits for an ack; while one ack is in flight the seqs stored meanwhile are
 * gathered and go out in the next one, whose `upToSeq` is read at send time. At the usual pace
 * (a sample a second) every packet still gets its own ack at once.
 *
 * Acks only ever name stored messages: `upTo` reads the contiguous prefix of what was committed,
 * and `request` is called after the commit. A lost ack costs a re-send, which is acknowledged
 * again as a duplicate.
 */
export class AckCoalescer {
  /** Streams with an ack due, and the selective seqs to name in it. */
  private readonly due = new Map<string, Set<number>>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly upTo: (stream: string) => number,
    private readonly send: (ack: Ack) => Promise<void>,
  ) {}

  /** `seq` of `stream` is stored: acknowledge it soon (at once when no ack is in flight). */
  request(stream: string, seq: number): void {
    let seqs = this.due.get(stream);
    if (seqs === undefined) this.due.set(stream, (seqs = new Set()));
    seqs.add(seq);
    this.flushing ??= this.flush();
  }

  /** Resolves once every requested ack was handed to `send` and settled. */
  async idle(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.due.size > 0) {
        const batch = [...this.due];
        this.due.clear();
        for (const [stream, seqs] of batch) {
          // A failed send is a lost ack: the candidate re-sends and the duplicate is acked.
          await this.send(this.ackFor(stream, seqs)).catch(() => undefined);
        }
      }
    } finally {
      this.flushing = null;
    }
  }

  private ackFor(stream: string, seqs: ReadonlySet<number>): Ack {
    const upToSeq = this.upTo(stream);
    // The newest are named: an older unnamed one is re-sent and acknowledged as a duplicate.
    const above = [...seqs].filter((s) => s > upToSeq).sort((a, b) => a - b);
    const selective = above.slice(-MAX_SELECTIVE);
    return AckSchema.parse({
      type: 'ack',
      v: 1,
      stream,
      upToSeq,
      ...(selective.length > 0 ? { seqs: selective } : {}),
    });
  }
}
