/**
 * `npm run bench:load [-- --n 10,50,100,200 --duration-s 60 --observe 10 --no-cost
 *   --workers 4 --candidate-procs 8]`
 *
 * N simulated candidates (@livekit/rtc-node, real candidate tokens from the API, the real data
 * protocol with acks honoured; spread over `--candidate-procs` child processes) against the real server (a child process running server/main.ts,
 * SQLite in a temp folder) and a real LiveKit on 127.0.0.1:28000 (UDP 28002-28999). Prints per N:
 * delivery (sent / acknowledged / stored, losses, duplicates, refusals), server and LiveKit CPU
 * and RSS, flag latency (candidate publish -> interviewer's live state) and join time, then the
 * recorder's per-packet cost at 1 min and 2 h (bench/recorder-cost.ts). Bounded, stops by itself,
 * cleans up on errors and Ctrl-C.
 */
import './load/quiet-sdk';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dispose } from '@livekit/rtc-node';
import { resolveLiveKitBinary } from '../scripts/livekit-binary';
import { startLiveKit, type LiveKitProcess } from '../scripts/livekit-process';
import { REPO_ROOT } from '../scripts/repo-paths';
import { runStep, type StepResult } from './load/run-step';
import { formatSpread } from './load/stats';

const LIVEKIT_PORT = 28000;
const SERVER_PORT = 28001;
const UDP_START = 28002;
const UDP_END = 28999;
const API_KEY = 'load-bench-api-key-0123456789abcdef';
const LK_KEY = 'load-bench-key';
const LK_SECRET = 'load-bench-secret-0123456789abcdef0123456789';
const MAX_N = 400;

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10,50,100,200' },
    'duration-s': { type: 'string', default: '60' },
    observe: { type: 'string', default: '10' },
    'join-concurrency': { type: 'string', default: '8' },
    'join-budget-s': { type: 'string', default: '300' },
    'no-cost': { type: 'boolean', default: false },
    /** RECORDER_WORKERS for the server; unset: the server's default. */
    workers: { type: 'string' },
    /** Writes V8 CPU profiles of the server and its recorder workers into this folder. */
    'cpu-prof-dir': { type: 'string' },
    /** Child processes for the simulated candidates (0: the bench process itself). */
    'candidate-procs': { type: 'string', default: '8' },
  },
});
const steps = values.n.split(',').map((s) => Number(s.trim()));
const durationS = Number(values['duration-s']);
const observe = Number(values.observe);
const joinConcurrency = Number(values['join-concurrency']);
const joinBudgetS = Number(values['join-budget-s']);
if (steps.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_N)) {
  throw new Error(`--n: comma-separated integers 1..${String(MAX_N)}`);
}
if (!Number.isFinite(durationS) || durationS < 5 || durationS > 1800) {
  throw new Error('--duration-s: 5..1800');
}
if (!Number.isInteger(observe) || observe < 0 || observe > 50) throw new Error('--observe: 0..50');
if (!Number.isFinite(joinBudgetS) || joinBudgetS < 10 || joinBudgetS > 1800) {
  throw new Error('--join-budget-s: 10..1800');
}
const candidateProcs = Number(values['candidate-procs']);
if (!Number.isInteger(candidateProcs) || candidateProcs < 0 || candidateProcs > 16) {
  throw new Error('--candidate-procs: 0..16');
}
const workers = values.workers === undefined ? undefined : Number(values.workers);
if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0 && workers <= 32)) {
  throw new Error('--workers: 0..32');
}
if (!Number.isInteger(joinConcurrency) || joinConcurrency < 1 || joinConcurrency > 50) {
  throw new Error('--join-concurrency: 1..50');
}

let aborted = false;
let livekit: LiveKitProcess | undefined;
let server: ChildProcess | undefined;
let serverExit: string | undefined;
let tempDir: string | undefined;
const serverTail: string[] = [];
/** Server log lines about recorder workers dying and native SDK faults, printed per step. */
const workerFaults: string[] = [];
// Read through functions: both are set by event handlers, which TypeScript's narrowing ignores.
const isAborted = (): boolean => aborted;
const serverExitReason = (): string | undefined => serverExit;
const log = (line: string): void => {
  console.log(line);
};

process.once('SIGINT', () => {
  aborted = true;
  log('\nCtrl-C: ending the current step and cleaning up (Ctrl-C again to force)');
  process.once('SIGINT', () => {
    // Forced: the 'exit' handlers kill LiveKit and the server; the temp folder goes here.
    if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    process.exit(130);
  });
});

async function startAppServer(dir: string, livekitUrl: string): Promise<ChildProcess> {
  // The recorder workers take the server's --cpu-prof flags, so they are profiled too.
  const profile =
    values['cpu-prof-dir'] === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', join(REPO_ROOT, 'server', 'main.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        PORT: String(SERVER_PORT),
        HOST: '127.0.0.1',
        INTERVIEW_API_KEY: API_KEY,
        SESSIONS_DIR: join(dir, 'sessions'),
        LIVEKIT_URL: livekitUrl,
        LIVEKIT_API_KEY: LK_KEY,
        LIVEKIT_API_SECRET: LK_SECRET,
        WEB_DIST_DIR: join(dir, 'no-web'),
        MODELS_DIR: join(dir, 'no-models'),
        LOG_LEVEL: 'warn',
        ...(workers === undefined ? {} : { RECORDER_WORKERS: String(workers) }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      serverTail.push(line);
      if (serverTail.length > 40) serverTail.shift();
      if (/recorder worker exited|invalid handle|panicked/.test(line) && workerFaults.length < 50) {
        workerFaults.push(line.slice(0, 300));
      }
    }
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    serverExit = signal !== null ? `signal ${signal}` : `exit code ${String(code)}`;
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (serverExit !== undefined) {
      throw new Error(`server exited during start-up (${serverExit}):\n${serverTail.join('\n')}`);
    }
    const ok = await fetch(`http://127.0.0.1:${String(SERVER_PORT)}/healthz`, {
      signal: AbortSignal.timeout(1000),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (Date.now() > deadline) throw new Error(`server did not answer /healthz within 60 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAppServer(child: ChildProcess): Promise<void> {
  if (serverExit !== undefined) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function runRecorderCost(): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'bench', 'recorder-cost.ts')],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? out.trim() : `recorder-cost failed (${String(code)}):\n${out}`);
    });
  });
}

function row(r: StepResult): string {
  const d = r.delivery;
  const cells = [
    String(r.n),
    `${String(r.joined)}/${String(r.n)}${r.greeted < r.joined ? ` (${String(r.joined - r.greeted)} no greeting)` : ''}`,
    formatSpread(r.join),
    `${String(d.created)} / ${String(r.sends)}`,
    String(d.acked),
    String(d.stored),
    String(d.lost),
    String(d.duplicates),
    String(r.refused),
    `${formatSpread(r.flag)} (${String(r.flag.count)}${r.flagsUnseen > 0 ? `, ${String(r.flagsUnseen)} unseen` : ''})`,
    `${r.serverCpuPct.toFixed(0)} % / ${r.serverRssMiB.toFixed(0)} MiB`,
    r.workerPids === 0
      ? 'in server'
      : `${r.workersCpuPct.toFixed(0)} % / ${r.workersRssMiB.toFixed(0)} MiB (${String(r.workerPids)} pids)`,
    `${r.livekitCpuPct.toFixed(0)} % / ${r.livekitRssMiB.toFixed(0)} MiB`,
    `${r.benchCpuPct.toFixed(0)} %`,
    r.load1.toFixed(1),
  ];
  return `| ${cells.join(' | ')} |`;
}

const HEADER =
  '| N | joined | join ms p50/p95/max | messages / sends | acked | stored | lost | dup | refused | flag ms p50/p95/max (n) | server CPU / RSS | workers CPU / RSS | LiveKit CPU / RSS | candidates CPU | load 1 min |\n' +
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';

const results: StepResult[] = [];
let failure: unknown;
try {
  const binary = resolveLiveKitBinary();
  if (binary === undefined) throw new Error('no LiveKit binary: run `npm run setup` first');
  tempDir = await mkdtemp(join(tmpdir(), 'li-load-'));
  log(
    `load bench: steps ${steps.join(', ')}, ${String(durationS)} s each, recorder workers ${workers === undefined ? 'server default' : String(workers)}, candidates in ${candidateProcs === 0 ? 'the bench process' : `${String(candidateProcs)} processes`}, ${String(cpus().length)} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  livekit = await startLiveKit({
    binary,
    apiKey: LK_KEY,
    apiSecret: LK_SECRET,
    port: LIVEKIT_PORT,
    rtcTcpPort: 0,
    udpPortStart: UDP_START,
    udpPortEnd: UDP_END,
    logFile: join(tempDir, 'livekit.log'),
  });
  server = await startAppServer(tempDir, livekit.url);
  const serverPid = server.pid ?? -1;
  for (const n of steps) {
    if (isAborted()) break;
    if (serverExitReason() !== undefined)
      throw new Error(`server died (${String(serverExitReason())})`);
    log(`step N=${String(n)} (load average ${loadavg()[0]?.toFixed(1) ?? '?'})`);
    const result = await runStep({
      appUrl: `http://127.0.0.1:${String(SERVER_PORT)}`,
      apiKey: API_KEY,
      n,
      durationS,
      observe,
      joinConcurrency,
      joinBudgetS,
      candidateProcs,
      serverPid,
      livekitPid: livekit.pid,
      aborted: () => isAborted() || serverExitReason() !== undefined,
      log,
    });
    results.push(result);
    log(HEADER.split('\n')[0] ?? '');
    log(row(result));
    log(
      `  joins took ${result.joinPhaseS.toFixed(1)} s; join API alone p50/p95/max ${formatSpread(result.joinApi)} ms, with the LiveKit connect ${formatSpread(result.joinConnect)} ms; ` +
        `flags published after the joins: ${formatSpread(result.flagSteady)} ms (${String(result.flagSteady.count)}); ` +
        `send errors ${String(result.sendErrors)}, unacknowledged at the end ${String(result.pendingAtEnd)}`,
    );
    for (const f of workerFaults.splice(0)) log(`  worker fault: ${f}`);
    for (const f of result.joinFailures.slice(0, 5)) log(`  join failure: ${f}`);
    if (result.joinFailures.length > 5) log(`  … ${String(result.joinFailures.length - 5)} more`);
    if (serverExitReason() !== undefined) {
      log(
        `server died during the step (${String(serverExitReason())}); last lines:\n${serverTail.join('\n')}`,
      );
      break;
    }
  }
} catch (error) {
  failure = error;
} finally {
  if (server !== undefined) await stopAppServer(server).catch(() => undefined);
  await livekit?.stop().catch(() => undefined);
  await dispose().catch(() => undefined);
  if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
}

if (results.length > 0) {
  log(
    '\nSummary (join = API join + LiveKit connect + recorder greeting; flag = publish -> live state):',
  );
  log(HEADER);
  for (const r of results) log(row(r));
}
if (failure !== undefined) {
  console.error('load bench failed:', failure);
  process.exitCode = 1;
} else if (!isAborted() && !values['no-cost']) {
  log('\nRecorder cost per packet (bench/recorder-cost.ts):');
  log(await runRecorderCost());
}
