import type { Logger } from '../log/logger';
import { roomNameFor } from '../livekit/room-tokens';
import type { InterviewRepository } from '../storage/interview-repository';
import type { SessionExport } from '../storage/session-export';
import type { InterviewIndex } from './interview-index';
import type { LiveRecorders } from './live-recorders';

/** Retention deletes at most this many records per pass (the next pass continues). */
const PURGE_BATCH = 500;

export interface InterviewRetentionDeps {
  index: InterviewIndex;
  recorders: LiveRecorders;
  repository: InterviewRepository;
  exporter: SessionExport;
  closeRoom: (roomName: string) => Promise<void>;
  now: () => number;
  log: Logger;
}

/** Deleting interviews: on request, and when their retention period has passed. */
export class InterviewRetention {
  constructor(private readonly deps: InterviewRetentionDeps) {}

  /** Deletes an interview and everything recorded, leaving and deleting its room if live. */
  async remove(id: string): Promise<void> {
    await this.deps.index.entry(id);
    if (await this.deps.recorders.release(id)) {
      await this.deps.closeRoom(roomNameFor(id)).catch(() => undefined);
    }
    await this.deps.repository.remove(id);
    await this.deps.exporter.remove(id);
    this.deps.log.info('interview deleted', { id });
  }

  /** Deletes records whose retention period has passed (live interviews wait). */
  async purgeExpired(): Promise<number> {
    const nowIso = new Date(this.deps.now()).toISOString();
    let purged = 0;
    for (const id of await this.deps.repository.listExpired(nowIso, PURGE_BATCH)) {
      if (this.deps.recorders.has(id)) continue;
      await this.deps.repository.remove(id);
      await this.deps.exporter.remove(id);
      purged += 1;
    }
    if (purged > 0) this.deps.log.info('expired records deleted', { count: purged });
    return purged;
  }
}
