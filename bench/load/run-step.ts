/** One step of the load ramp: N interviews joined, run, drained, read back and completed. */
import { loadavg } from 'node:os';
import { z } from 'zod';
import { CreateInterviewResponseSchema } from '../../shared/api/interview-api';
import { reconcile, sumReconciliations, type Reconciliation } from './accounting';
import { FlagObserver } from './flag-observer';
import { readChildren, readProc } from './proc-usage';
import { REPO_ROOT } from '../../scripts/repo-paths';
import { inProcessHost, shardedHost, type BenchCandidate } from './candidate-shards';
import { spread, type Spread } from './stats';

export interface StepOptions {
  appUrl: string;
  apiKey: string;
  n: number;
  durationS: number;
  /** How many interviews get a live-state observer (flag latency). */
  observe: number;
  /** Child processes running the simulated candidates; 0: this process. */
  candidateProcs: number;
  /** Simultaneous joins in flight. */
  joinConcurrency: number;
  /** No join starts after this long into the step (they count as not joined). */
  joinBudgetS: number;
  serverPid: number;
  livekitPid: number;
  /** Set on Ctrl-C: the step ends early and still cleans up. */
  aborted: () => boolean;
  log: (line: string) => void;
}

export interface StepResult {
  n: number;
  joined: number;
  joinFailures: string[];
  join: Spread;
  /** POST /api/links/<token>/join alone. */
  joinApi: Spread;
  /** API join plus the candidate's LiveKit connect, without waiting for the greeting. */
  joinConnect: Spread;
  /** Of the successful joins, how many saw `recorder_ready` within 5 s. */
  greeted: number;
  delivery: Reconciliation;
  sends: number;
  sendErrors: number;
  pendingAtEnd: number;
  refused: number;
  readFailures: number;
  flag: Spread;
  /** Flags published after every join had finished (no join burst competing). */
  flagSteady: Spread;
  flagsUnseen: number;
  /** From the first create to the last join. */
  joinPhaseS: number;
  wallS: number;
  serverCpuPct: number;
  serverRssMiB: number;
  /** The server's recorder worker processes together (NaN CPU without workers). */
  workersCpuPct: number;
  workersRssMiB: number;
  /** Distinct worker processes seen during the step (more than the pool size: restarts). */
  workerPids: number;
  livekitCpuPct: number;
  livekitRssMiB: number;
  benchCpuPct: number;
  load1: number;
}

const RecordSchema = z.looseObject({
  samples: z.array(z.looseObject({ stream: z.string(), seq: z.number() })),
  events: z.array(z.looseObject({ stream: z.string(), seq: z.number() })),
  rejected: z.array(z.unknown()),
});

const DRAIN_MS = 20_000;

/** Runs `work` over items with at most `limit` in flight. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

const isWorker = (cmdline: string): boolean => cmdline.includes('room-worker');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function linkToken(url: string): string {
  return new URL(url).pathname.split('/')[2] ?? '';
}

/** A deterministic pseudo-random sequence (mulberry32), so runs are comparable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runStep(o: StepOptions): Promise<StepResult> {
  const auth = { authorization: `Bearer ${o.apiKey}` };
  const candidates: BenchCandidate[] = [];
  const observers: FlagObserver[] = [];
  const interviews: { id: string; candidateToken: string; interviewerToken: string }[] = [];
  const joinMs: number[] = [];
  const joinApiMs: number[] = [];
  const joinConnectMs: number[] = [];
  const joinFailures: string[] = [];
  let greeted = 0;
  let rssServer = 0;
  let rssWorkers = 0;
  const workerPids = new Set<number>();
  let rssLivekit = 0;
  const random = seeded(o.n * 7919);

  const rssTimer = setInterval(() => {
    rssServer = Math.max(rssServer, readProc(o.serverPid)?.rssMiB ?? 0);
    const workers = readChildren(o.serverPid, isWorker);
    rssWorkers = Math.max(rssWorkers, workers.rssMiB);
    for (const pid of workers.pids) workerPids.add(pid);
    rssLivekit = Math.max(rssLivekit, readProc(o.livekitPid)?.rssMiB ?? 0);
  }, 1000);

  const server0 = readProc(o.serverPid);
  const workers0 = readChildren(o.serverPid, isWorker);
  const livekit0 = readProc(o.livekitPid);
  const host =
    o.candidateProcs > 0 ? await shardedHost(o.candidateProcs, REPO_ROOT) : inProcessHost(random);
  const benchCpuS = (): number => {
    const own = process.cpuUsage();
    return (
      (own.user + own.system) / 1e6 +
      host.childPids().reduce((sum, pid) => sum + (readProc(pid)?.cpuS ?? 0), 0)
    );
  };
  const bench0 = benchCpuS();
  const t0 = performance.now();
  try {
    // Create the interviews (the parent system's call), then join them: joins are in the window.
    await pool(
      Array.from({ length: o.n }, (_, i) => i),
      o.joinConcurrency,
      async (i) => {
        if (o.aborted()) return;
        const res = await fetch(`${o.appUrl}/api/interviews`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            candidate_hash: `load-cand-${String(o.n)}-${String(i).padStart(4, '0')}`,
          }),
          signal: AbortSignal.timeout(60_000),
        });
        if (res.status !== 201) {
          joinFailures.push(`create: HTTP ${String(res.status)} ${await res.text()}`);
          return;
        }
        const created = CreateInterviewResponseSchema.parse(await res.json());
        interviews.push({
          id: created.id,
          candidateToken: linkToken(created.candidate_url),
          interviewerToken: linkToken(created.interviewer_url),
        });
      },
    );
    for (const iv of interviews.slice(0, o.observe)) {
      const observer = new FlagObserver(o.appUrl, iv.interviewerToken);
      observer.start();
      observers.push(observer);
    }
    await pool(interviews, o.joinConcurrency, async (iv) => {
      if (o.aborted()) return;
      if (performance.now() - t0 > o.joinBudgetS * 1000) {
        joinFailures.push(
          `join ${iv.id}: not started, join budget of ${String(o.joinBudgetS)} s spent`,
        );
        return;
      }
      const c = host.create(
        candidates.length,
        iv.id,
        iv.candidateToken,
        o.n * 7919 + candidates.length,
      );
      candidates.push(c);
      try {
        const timings = await c.connect(o.appUrl);
        joinApiMs.push(timings.apiMs);
        joinConnectMs.push(timings.connectMs);
        if (Number.isFinite(timings.greetingMs)) {
          greeted += 1;
          joinMs.push(timings.greetingMs);
        } else {
          joinMs.push(timings.connectMs);
        }
        c.start();
      } catch (error) {
        joinFailures.push(`join ${iv.id}: ${(error as Error).message}`);
      }
    });
    const joinPhaseS = (performance.now() - t0) / 1000;
    const joinsDoneAtMs = Date.now();
    o.log(
      `  N=${String(o.n)}: ${String(joinMs.length)} joined in ${joinPhaseS.toFixed(1)} s, running ${String(o.durationS)} s`,
    );
    // The window is `durationS` of every candidate live, after the joins.
    const runStart = performance.now();
    while (!o.aborted() && performance.now() - runStart < o.durationS * 1000) await sleep(250);
    for (const c of candidates) c.stopProducing();
    const drainStart = performance.now();
    while (
      !o.aborted() &&
      performance.now() - drainStart < DRAIN_MS &&
      candidates.some((c) => c.pending() > 0)
    ) {
      await sleep(250);
    }
    const wallS = (performance.now() - t0) / 1000;
    const server1 = readProc(o.serverPid);
    const workers1 = readChildren(o.serverPid, isWorker);
    const livekit1 = readProc(o.livekitPid);
    const bench1 = benchCpuS();
    const load1 = loadavg()[0] ?? Number.NaN;
    for (const c of candidates) c.quiesce();
    // Give the last live pushes a moment to arrive before the observers stop.
    await sleep(1000);
    await Promise.all(observers.map((ob) => ob.stop()));
    await host.collect();

    // Read back every record through the API and reconcile it with what each candidate knows.
    const rows: Reconciliation[] = [];
    let refused = 0;
    let readFailures = 0;
    await pool(candidates, 5, async (c) => {
      try {
        const res = await fetch(`${o.appUrl}/api/interviews/${c.interviewId}/record`, {
          headers: auth,
          signal: AbortSignal.timeout(20_000),
        });
        if (!res.ok) throw new Error(`record: HTTP ${String(res.status)}`);
        const record = RecordSchema.parse(await res.json());
        const seqs = [...record.samples, ...record.events]
          .filter((m) => m.stream === c.stream)
          .map((m) => m.seq);
        rows.push(reconcile(c.created, c.ledger, seqs));
        refused += record.rejected.length;
      } catch (error) {
        readFailures += 1;
        o.log(`  read ${c.interviewId}: ${(error as Error).message}`);
      }
    });

    const flagMs: number[] = [];
    const flagSteadyMs: number[] = [];
    let flagsUnseen = 0;
    const observed = new Map(observers.map((ob, i) => [interviews[i]?.id ?? '', ob]));
    for (const c of candidates) {
      const ob = observed.get(c.interviewId);
      if (ob === undefined) continue;
      for (const p of c.flagPublishes) {
        const seen = ob.firstSeen.get(p.eventId);
        if (seen === undefined) flagsUnseen += 1;
        else {
          flagMs.push(seen - p.publishedAtMs);
          if (p.publishedAtMs >= joinsDoneAtMs) flagSteadyMs.push(seen - p.publishedAtMs);
        }
      }
    }

    const cpuPct = (a: number | undefined, b: number | undefined): number =>
      a === undefined || b === undefined ? Number.NaN : ((b - a) / wallS) * 100;
    return {
      n: o.n,
      joined: joinMs.length,
      joinFailures,
      join: spread(joinMs),
      joinApi: spread(joinApiMs),
      joinConnect: spread(joinConnectMs),
      greeted,
      delivery: sumReconciliations(rows),
      sends: candidates.reduce((a, c) => a + c.sends, 0),
      sendErrors: candidates.reduce((a, c) => a + c.sendErrors, 0),
      pendingAtEnd: candidates.reduce((a, c) => a + c.pending(), 0),
      refused,
      readFailures,
      flag: spread(flagMs),
      flagSteady: spread(flagSteadyMs),
      joinPhaseS,
      flagsUnseen,
      wallS,
      serverCpuPct: cpuPct(server0?.cpuS, server1?.cpuS),
      serverRssMiB: rssServer,
      workersCpuPct: workerPids.size === 0 ? Number.NaN : cpuPct(workers0.cpuS, workers1.cpuS),
      workersRssMiB: rssWorkers,
      workerPids: workerPids.size,
      livekitCpuPct: cpuPct(livekit0?.cpuS, livekit1?.cpuS),
      livekitRssMiB: rssLivekit,
      benchCpuPct: ((bench1 - bench0) / wallS) * 100,
      load1,
    };
  } finally {
    clearInterval(rssTimer);
    await Promise.all(observers.map((ob) => ob.stop()));
    // Complete while the candidates are still there to answer `closing`, then leave.
    await pool(interviews, 10, async (iv) => {
      await fetch(`${o.appUrl}/api/interviews/${iv.id}/complete`, {
        method: 'POST',
        headers: auth,
        signal: AbortSignal.timeout(30_000),
      }).then(
        (r) => r.body?.cancel(),
        () => undefined,
      );
    });
    await host.close();
  }
}
