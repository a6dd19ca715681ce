/**
 * Where the bench's simulated candidates run: in the bench process, or spread over child
 * processes (`--candidate-procs`), each a candidate-shard.ts. The SDK's per-process cost grows
 * with the square of the rooms in a process, so at 100+ candidates one process would measure
 * itself rather than the server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AckLedger } from './accounting';
import { ShardReportSchema, type ShardCommand, type ShardReport } from './shard-protocol';
import { SimCandidate, type CandidateTimings, type FlagPublish } from './sim-candidate';

/** What a step needs of a simulated candidate, wherever it runs. */
export interface BenchCandidate {
  readonly interviewId: string;
  readonly stream: string;
  readonly created: number;
  readonly ledger: AckLedger;
  readonly flagPublishes: readonly FlagPublish[];
  readonly sends: number;
  readonly sendErrors: number;
  connect(appUrl: string): Promise<CandidateTimings>;
  start(): void;
  stopProducing(): void;
  quiesce(): void;
  pending(): number;
}

export interface CandidateHost {
  create(index: number, interviewId: string, token: string, seed: number): BenchCandidate;
  /** Brings every candidate's final counts and ledger up to date (after quiesce). */
  collect(): Promise<void>;
  /** Every candidate leaves its room. */
  close(): Promise<void>;
  /** The processes running the candidates, when not this one (their CPU counts as the bench's). */
  childPids(): number[];
}

/** Candidates in this process (the original bench). */
export function inProcessHost(random: () => number): CandidateHost {
  const all: SimCandidate[] = [];
  return {
    create(index, interviewId, token) {
      const c = new SimCandidate(index, interviewId, token, random);
      all.push(c);
      return c;
    },
    collect: () => Promise.resolve(),
    async close() {
      await Promise.all(all.map((c) => c.close()));
    },
    childPids: () => [],
  };
}

class RemoteCandidate implements BenchCandidate {
  stream = '';
  created = 0;
  ledger: AckLedger = new AckLedger('');
  flagPublishes: FlagPublish[] = [];
  sends = 0;
  sendErrors = 0;
  pendingCount = 0;
  connected: ((t: CandidateTimings) => void) | undefined;
  failed: ((error: Error) => void) | undefined;

  constructor(
    readonly index: number,
    readonly interviewId: string,
    private readonly token: string,
    private readonly seed: number,
    private readonly shard: Shard,
  ) {}

  connect(appUrl: string): Promise<CandidateTimings> {
    return new Promise((resolve, reject) => {
      this.connected = resolve;
      this.failed = reject;
      this.shard.send({
        type: 'connect',
        index: this.index,
        interviewId: this.interviewId,
        candidateToken: this.token,
        appUrl,
        seed: this.seed,
      });
    });
  }

  start(): void {
    this.shard.send({ type: 'start', index: this.index });
  }

  stopProducing(): void {
    this.shard.stopProducing();
  }

  quiesce(): void {
    this.shard.quiesce();
  }

  pending(): number {
    return this.pendingCount;
  }
}

class Shard {
  readonly candidates = new Map<number, RemoteCandidate>();
  private readonly waiters = new Map<'ready' | 'reported' | 'closed', () => void>();
  readonly readyPromise: Promise<void>;
  private stopped = false;
  private quiesced = false;

  constructor(readonly child: ChildProcess) {
    this.readyPromise = this.waitFor('ready');
    child.on('message', (raw: unknown) => {
      this.onReport(ShardReportSchema.parse(raw));
    });
    child.on('exit', () => {
      for (const wake of this.waiters.values()) wake();
      for (const c of this.candidates.values()) c.failed?.(new Error('candidate shard exited'));
    });
  }

  send(command: ShardCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  stopProducing(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.send({ type: 'stop_producing' });
  }

  quiesce(): void {
    if (this.quiesced) return;
    this.quiesced = true;
    this.send({ type: 'quiesce' });
  }

  waitFor(what: 'ready' | 'reported' | 'closed'): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        resolve();
        return;
      }
      this.waiters.set(what, resolve);
    });
  }

  private onReport(report: ShardReport): void {
    switch (report.type) {
      case 'ready':
      case 'reported':
      case 'closed':
        this.waiters.get(report.type)?.();
        this.waiters.delete(report.type);
        return;
      case 'connected': {
        const c = this.candidates.get(report.index);
        if (!c) return;
        c.stream = report.stream;
        c.connected?.({
          apiMs: report.apiMs,
          connectMs: report.connectMs,
          greetingMs: report.greetingMs ?? Number.NaN,
        });
        return;
      }
      case 'connect_failed':
        this.candidates.get(report.index)?.failed?.(new Error(report.error));
        return;
      case 'pending':
        for (const p of report.pending) {
          const c = this.candidates.get(p.index);
          if (c) c.pendingCount = p.count;
        }
        return;
      case 'final': {
        const c = this.candidates.get(report.index);
        if (!c) return;
        c.created = report.created;
        c.sends = report.sends;
        c.sendErrors = report.sendErrors;
        c.pendingCount = report.pending;
        c.ledger = AckLedger.from(report.ledger);
        c.flagPublishes = report.flagPublishes;
        return;
      }
    }
  }
}

/** `count` child processes; candidates go to them in turn. */
export async function shardedHost(count: number, repoRoot: string): Promise<CandidateHost> {
  const shards = Array.from(
    { length: count },
    () =>
      new Shard(
        fork(join(repoRoot, 'bench', 'load', 'candidate-shard.ts'), [], {
          execArgv: ['--import', 'tsx'],
          cwd: repoRoot,
          serialization: 'advanced',
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        }),
      ),
  );
  await Promise.all(shards.map((s) => s.readyPromise));
  let next = 0;
  return {
    create(index, interviewId, token, seed) {
      const shard = shards[next % shards.length] as Shard;
      next += 1;
      const c = new RemoteCandidate(index, interviewId, token, seed, shard);
      shard.candidates.set(index, c);
      return c;
    },
    async collect() {
      await Promise.all(
        shards.map((s) => {
          const done = s.waitFor('reported');
          s.send({ type: 'report' });
          return done;
        }),
      );
    },
    async close() {
      await Promise.all(
        shards.map(async (s) => {
          const done = s.waitFor('closed');
          s.send({ type: 'close' });
          const timer = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
          await done;
          clearTimeout(timer);
          s.child.kill('SIGKILL');
        }),
      );
    },
    childPids: () => shards.flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid])),
  };
}
