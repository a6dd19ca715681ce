import type { Logger } from '../log/logger';
import { StorageError } from './errors';
import type { InterviewRepository } from './interview-repository';

/** While storage is failing, /healthz re-probes at most this often. */
const PROBE_MIN_GAP_MS = 1_000;

export interface StorageStatus {
  ok: boolean;
  /** Why storage is failing (the typed error's reason, e.g. "storage is full: ..."); null when ok. */
  reason: string | null;
}

/**
 * Whether storage accepts writes, as `/healthz` reports it: failing from the first write that
 * fails with a StorageError, ok again at the first write or probe that succeeds (space freed,
 * database back). Recovery needs no restart and loses nothing: a failed write was never
 * acknowledged, so its sender still holds it and sends it again.
 */
export class StorageHealth {
  private failure: StorageError | null = null;
  private lastProbeMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs a write and notes its outcome; the error still reaches the caller. */
  async track<T>(write: () => Promise<T>): Promise<T> {
    try {
      const result = await write();
      this.succeeded();
      return result;
    } catch (error) {
      if (error instanceof StorageError) this.failed(error);
      throw error;
    }
  }

  /** The current status; while failing, probes (at most once a second) to notice recovery. */
  async check(): Promise<StorageStatus> {
    if (this.failure !== null && this.now() - this.lastProbeMs >= PROBE_MIN_GAP_MS) {
      this.lastProbeMs = this.now();
      await this.track(this.probe).catch(() => undefined);
    }
    return this.failure === null
      ? { ok: true, reason: null }
      : { ok: false, reason: this.failure.reason };
  }

  private failed(error: StorageError): void {
    if (this.failure === null) {
      this.log.error('storage is failing', { reason: error.reason, cause: String(error.cause) });
    }
    this.failure = error;
  }

  private succeeded(): void {
    if (this.failure === null) return;
    this.log.info('storage accepts writes again', { after: this.failure.reason });
    this.failure = null;
  }
}

const WRITES = ['create', 'markLive', 'append', 'complete', 'remove'] as const;

/** The repository with every write reported to `health`; reads pass through. */
export function monitoredRepository(
  repo: InterviewRepository,
  health: StorageHealth,
): InterviewRepository {
  const monitored: InterviewRepository = Object.create(repo) as InterviewRepository;
  for (const method of WRITES) {
    const original = repo[method].bind(repo) as (...args: unknown[]) => Promise<unknown>;
    Object.defineProperty(monitored, method, {
      value: (...args: unknown[]) => health.track(() => original(...args)),
    });
  }
  return monitored;
}
