/**
 * Watches one interview's live state as the interviewer's page does (SSE on
 * /api/links/<interviewer token>/live) and notes when each flag first appears, for the flag
 * latency (candidate publish -> live state).
 */
import { LiveStateSchema } from '../../shared/api/interview-api';
import { splitSse } from './sse';

export class FlagObserver {
  /** flagId -> Date.now() when it first appeared in a live push. */
  readonly firstSeen = new Map<string, number>();
  private readonly abort = new AbortController();
  private done: Promise<void> | undefined;
  errors = 0;

  constructor(
    readonly appUrl: string,
    readonly interviewerToken: string,
  ) {}

  start(): void {
    this.done = this.run().catch(() => {
      if (!this.abort.signal.aborted) this.errors += 1;
    });
  }

  private async run(): Promise<void> {
    const res = await fetch(`${this.appUrl}/api/links/${this.interviewerToken}/live`, {
      signal: this.abort.signal,
    });
    if (!res.ok || res.body === null) throw new Error(`live: HTTP ${String(res.status)}`);
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = res.body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) return;
      const now = Date.now();
      buffer += decoder.decode(chunk, { stream: true });
      const { events, rest } = splitSse(buffer);
      buffer = rest;
      for (const e of events) {
        if (e.event !== 'live') continue;
        const parsed = LiveStateSchema.safeParse(JSON.parse(e.data));
        if (!parsed.success) {
          this.errors += 1;
          continue;
        }
        for (const flag of parsed.data.flags) {
          if (!this.firstSeen.has(flag.flagId)) this.firstSeen.set(flag.flagId, now);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}
