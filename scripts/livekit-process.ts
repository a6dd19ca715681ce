import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { LIVEKIT_CONFIG_PATH } from './repo-paths';

export interface LiveKitProcessOptions {
  binary: string;
  /** Defaults to the repository's livekit.yaml; the port options below override its ports. */
  configPath?: string;
  apiKey: string;
  /** LiveKit logs an error for secrets shorter than 32 characters. */
  apiSecret: string;
  /** Signalling / RoomService port on 127.0.0.1. */
  port: number;
  /** ICE over TCP; 0 turns it off (LiveKit binds that listener on every interface). Default: the config file's. */
  rtcTcpPort?: number;
  /** Inclusive UDP range for ICE, one port per peer connection. Default: the config file's. */
  udpPortStart?: number;
  udpPortEnd?: number;
  /** Append the server's log here; otherwise only its last lines are kept, for error messages. */
  logFile?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  /**
   * Run in its own process group, so Ctrl+C in a terminal reaches only the parent, which can then
   * stop the app before LiveKit. The parent must then call stop() (it also kills on normal exit).
   */
  detached?: boolean;
}

export interface LiveKitProcess {
  /** WebSocket URL for clients and server SDKs, e.g. `ws://127.0.0.1:7880`. */
  url: string;
  pid: number;
  /** Settles when the process ends, for whatever reason; describes how. */
  exited: Promise<string>;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves once the process is gone. */
  stop(): Promise<void>;
}

export class LiveKitStartError extends Error {
  override readonly name = 'LiveKitStartError';
}

const LOG_TAIL_LINES = 40;

/** Starts a LiveKit server on 127.0.0.1 and resolves once it answers HTTP. */
export async function startLiveKit(options: LiveKitProcessOptions): Promise<LiveKitProcess> {
  const {
    binary,
    configPath = LIVEKIT_CONFIG_PATH,
    apiKey,
    apiSecret,
    port,
    rtcTcpPort,
    udpPortStart,
    udpPortEnd,
    logFile,
    startTimeoutMs = 20_000,
    stopTimeoutMs = 5_000,
    detached = false,
  } = options;
  const httpUrl = `http://127.0.0.1:${port}/`;

  // Another server already on the port would answer our readiness poll while ours dies on bind.
  if (await answersOk(httpUrl)) {
    throw new LiveKitStartError(
      `something already answers on ${httpUrl}; stop it or choose another port`,
    );
  }

  // Generated flags override the file's values (LiveKit applies flags that are set after the YAML).
  const args = ['--config', configPath, '--port', String(port)];
  if (rtcTcpPort !== undefined) args.push('--rtc.tcp_port', String(rtcTcpPort));
  if (udpPortStart !== undefined) args.push('--rtc.port_range_start', String(udpPortStart));
  if (udpPortEnd !== undefined) args.push('--rtc.port_range_end', String(udpPortEnd));
  const child = spawn(binary, args, {
    // A clean environment: the server also reads NODE_IP, UDP_PORT, LIVEKIT_CONFIG and every
    // LIVEKIT_<FLAG> variable, which would silently override the file. Keys go in the environment
    // rather than argv so they do not show in `ps`; JSON strings are valid YAML scalars.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LIVEKIT_KEYS: `${JSON.stringify(apiKey)}: ${JSON.stringify(apiSecret)}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });

  let logStream: WriteStream | undefined;
  if (logFile !== undefined) {
    mkdirSync(path.dirname(logFile), { recursive: true });
    logStream = createWriteStream(logFile, { flags: 'a' });
  }
  const tail: string[] = [];
  const onOutput = (chunk: Buffer): void => {
    logStream?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
    }
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  let hasExited = false;
  let exitDescription = '';
  const exited = new Promise<string>((resolve) => {
    child.on('exit', (code, signal) => {
      hasExited = true;
      exitDescription = signal !== null ? `signal ${signal}` : `exit code ${code}`;
      logStream?.end();
      resolve(exitDescription);
    });
  });
  // ENOENT / EACCES: 'error' fires instead of 'exit'.
  let spawnFailure: Error | undefined;
  child.on('error', (error) => {
    spawnFailure = error;
  });

  // If the parent dies without calling stop() (a crashed test run), do not leave a server behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (hasExited || spawnFailure !== undefined) return;
    child.kill('SIGTERM');
    // LiveKit drains rooms on SIGTERM; with participants still connected that can take long.
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };

  const describeFailure = (reason: string): LiveKitStartError =>
    new LiveKitStartError(`LiveKit (${binary}) ${reason}. Last log lines:\n${tail.join('\n')}`);

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the 'exit' handler while we wait; TypeScript does not see callback assignments
    if (hasExited) {
      process.off('exit', killOnExit);
      throw describeFailure(`exited during startup (${exitDescription})`);
    }
    if (spawnFailure !== undefined) {
      process.off('exit', killOnExit);
      throw new LiveKitStartError(`cannot run ${binary}: ${spawnFailure.message}`, {
        cause: spawnFailure,
      });
    }
    if (await answersOk(httpUrl)) break;
    if (Date.now() > deadline) {
      await stop();
      throw describeFailure(`did not answer on ${httpUrl} within ${startTimeoutMs} ms`);
    }
    await sleep(100);
  }

  return { url: `ws://127.0.0.1:${port}`, pid: child.pid ?? -1, exited, stop };
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
