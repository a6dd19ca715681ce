import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger, LogLevel } from '../../log/logger';
import {
  RecorderWorkerExitedError,
  RecorderWorkerRequestError,
  RecorderWorkerTimeoutError,
} from './errors';
import { WorkerReportSchema, type WorkerReport, type WorkerRequest } from './messages';

/** What a worker says about one of its rooms (everything but `ready` and `done`). */
export type RoomReport = Exclude<WorkerReport, { type: 'ready' } | { type: 'done' }>;

export interface WorkerProcessOptions {
  index: number;
  workerModule: URL;
  log: Logger;
  logLevel: LogLevel;
  /** A publish or close the worker has not answered by then is rejected. */
  requestTimeoutMs: number;
  /** Restart delay after an exit: doubles per exit in a row, up to the maximum. */
  respawnFirstDelayMs: number;
  respawnMaxDelayMs: number;
  /** A worker that ran this long without exiting resets the restart back-off. */
  stableAfterMs: number;
  onReady: () => void;
  onRoomReport: (report: RoomReport) => void;
  /**
   * The process is gone (its rooms with it); a new one starts after the back-off. `how`: its
   * exit code or signal; `reason`: the sentence its rooms are lost with.
   */
  onExit: (reason: string, how: string) => void;
}

/**
 * Workers run TypeScript through the same loader as the server (`tsx`, see package.json), found
 * from here so it works from any working directory and under the test runner.
 */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface PendingRequest {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One supervised recorder worker: the child process, its request/answer matching, and its
 * restarts with back-off. Which rooms it holds is the pool's business (recorder-pool.ts).
 * `generation` changes with every process, so a room's link can tell that the process it
 * joined through is gone.
 */
export class WorkerProcess {
  ready = false;
  generation = 0;
  private child: ChildProcess | null = null;
  private startedAtMs = 0;
  private readonly requests = new Map<number, PendingRequest>();
  private respawnDelayMs: number;
  private respawnTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: WorkerProcessOptions) {
    this.respawnDelayMs = options.respawnFirstDelayMs;
  }

  get index(): number {
    return this.options.index;
  }

  /** The running process's id; null while it restarts. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    this.respawnTimer = null;
    if (this.stopped) return;
    const child = fork(
      fileURLToPath(this.options.workerModule),
      [this.options.logLevel, String(this.options.index)],
      {
        // Profiling flags the server runs with (bench:load --cpu-prof-dir) apply to workers too.
        execArgv: [
          '--import',
          TSX_LOADER,
          ...process.execArgv.filter((arg) => arg.startsWith('--cpu-prof')),
        ],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    this.child = child;
    this.generation += 1;
    this.ready = false;
    this.startedAtMs = Date.now();
    child.on('message', (raw: unknown) => {
      if (this.child === child) this.onMessage(raw);
    });
    let gone = false;
    const onGone = (how: string): void => {
      if (gone) return;
      gone = true;
      if (this.child === child) this.exited(how);
    };
    child.on('exit', (code, signal) => {
      onGone(signal !== null ? `signal ${signal}` : `exit code ${String(code)}`);
    });
    child.on('error', (error) => {
      this.options.log.error('recorder worker failed', {
        worker: this.options.index,
        error: String(error),
      });
      // A process that never started emits no 'exit'; one that did still will.
      if (child.pid === undefined) onGone(`spawn failed: ${error.message}`);
    });
  }

  /** Fire and forget; a send racing the worker's exit is settled by the exit handler. */
  send(message: WorkerRequest): void {
    const child = this.child;
    if (!child?.connected) return;
    child.send(message, (error) => {
      if (error) {
        this.options.log.debug('recorder worker message not sent', { error: String(error) });
      }
    });
  }

  /** A request the worker answers with `done` (rejected on error, timeout or exit). */
  request(message: Extract<WorkerRequest, { request: number }>): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.requests.delete(message.request);
        reject(
          new RecorderWorkerTimeoutError(`the recorder worker did not answer ${message.type}`),
        );
      }, this.options.requestTimeoutMs);
      this.requests.set(message.request, { resolve, reject, timer });
      this.send(message);
    });
  }

  /** Asks the worker to leave its rooms and exit; killed after `graceMs`. No restart after. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    this.respawnTimer = null;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private onMessage(raw: unknown): void {
    const parsed = WorkerReportSchema.safeParse(raw);
    if (!parsed.success) {
      this.options.log.error('recorder worker sent an unknown message', {
        worker: this.options.index,
        error: parsed.error.message.slice(0, 500),
      });
      return;
    }
    const report = parsed.data;
    switch (report.type) {
      case 'ready':
        this.ready = true;
        this.options.log.info('recorder worker started', {
          worker: this.options.index,
          pid: this.pid,
        });
        this.options.onReady();
        return;
      case 'done': {
        const pending = this.requests.get(report.request);
        if (!pending) return;
        this.requests.delete(report.request);
        clearTimeout(pending.timer);
        if (report.error === undefined) pending.resolve();
        else pending.reject(new RecorderWorkerRequestError(report.error));
        return;
      }
      default:
        this.options.onRoomReport(report);
    }
  }

  /** Pending requests fail, the pool hears of it, and a new process starts after the back-off. */
  private exited(how: string): void {
    this.child = null;
    this.ready = false;
    const reason = `recorder worker ${String(this.options.index)} exited (${how})`;
    const requests = [...this.requests.values()];
    this.requests.clear();
    for (const pending of requests) {
      clearTimeout(pending.timer);
      pending.reject(new RecorderWorkerExitedError(reason));
    }
    this.options.onExit(reason, how);
    if (this.stopped) return;
    if (Date.now() - this.startedAtMs >= this.options.stableAfterMs) {
      this.respawnDelayMs = this.options.respawnFirstDelayMs;
    }
    const delayMs = this.respawnDelayMs;
    this.respawnDelayMs = Math.min(this.options.respawnMaxDelayMs, delayMs * 2);
    this.respawnTimer = setTimeout(() => {
      this.start();
    }, delayMs);
    this.respawnTimer.unref();
  }
}
