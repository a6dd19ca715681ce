import { spawn, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR } from './repo-paths';
import {
  CACHED_LIVEKIT_BINARY,
  LIVEKIT_VERSION,
  LiveKitBinaryError,
  findOnPath,
  liveKitBinaryVersion,
  resolveLiveKitBinary,
} from './livekit-binary';
import { downloadBuffer, sha256Buffer, writeFileAtomic } from './download';
import type { Log } from './setup-log';

/** The Go package whose `go install` yields the server; `server` is the binary name it gets. */
const LIVEKIT_GO_PACKAGE = 'github.com/livekit/livekit-server/cmd/server';
const RELEASE_BASE_URL = `https://github.com/livekit/livekit/releases/download/v${LIVEKIT_VERSION}`;

/**
 * Makes sure a LiveKit server binary exists and returns its path: an existing one if found
 * (see resolveLiveKitBinary), else built from source with Go if Go is installed (reproducible
 * from the module proxy's checksummed sources), else LiveKit's official release archive verified
 * against the release's checksums file.
 */
export async function ensureLiveKitBinary(
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const existing = resolveLiveKitBinary(env);
  if (existing !== undefined) {
    const version = liveKitBinaryVersion(existing);
    if (existing === CACHED_LIVEKIT_BINARY && version !== LIVEKIT_VERSION) {
      // A cache left by an older checkout: rebuild rather than run a server livekit.yaml may not fit.
      log(
        `LiveKit: cached binary reports version ${version ?? 'unknown'}, want ${LIVEKIT_VERSION}; replacing it`,
      );
      await rm(CACHED_LIVEKIT_BINARY, { force: true });
    } else {
      if (version !== LIVEKIT_VERSION) {
        log(
          `LiveKit: warning: ${existing} reports version ${version ?? 'unknown'}, the project is tested with ${LIVEKIT_VERSION}`,
        );
      }
      log(`LiveKit: using ${existing} (version ${version ?? 'unknown'})`);
      return existing;
    }
  }

  const go = findOnPath('go', env.PATH ?? '');
  if (go !== undefined) {
    await buildWithGo(go, log, env);
  } else {
    await downloadRelease(log);
  }
  const version = liveKitBinaryVersion(CACHED_LIVEKIT_BINARY);
  if (version !== LIVEKIT_VERSION) {
    throw new LiveKitBinaryError(
      `${CACHED_LIVEKIT_BINARY} reports version ${version ?? 'unknown'}, expected ${LIVEKIT_VERSION}`,
    );
  }
  log(`LiveKit: ready at ${CACHED_LIVEKIT_BINARY}`);
  return CACHED_LIVEKIT_BINARY;
}

async function buildWithGo(go: string, log: Log, env: NodeJS.ProcessEnv): Promise<void> {
  const binDir = path.dirname(CACHED_LIVEKIT_BINARY);
  await mkdir(binDir, { recursive: true });
  const goVersion = execFileSync(go, ['version'], { encoding: 'utf8' }).trim();
  log(
    `LiveKit: building v${LIVEKIT_VERSION} from source with ${goVersion} (takes a few minutes the first time)`,
  );
  const started = Date.now();
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(go, ['install', `${LIVEKIT_GO_PACKAGE}@v${LIVEKIT_VERSION}`], {
      // CGO off gives a static binary and needs no C toolchain on the machine.
      env: { ...env, GOBIN: binDir, CGO_ENABLED: '0' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
  if (exitCode !== 0) {
    throw new LiveKitBinaryError(
      `go install ${LIVEKIT_GO_PACKAGE}@v${LIVEKIT_VERSION} failed (exit code ${exitCode})`,
    );
  }
  // `go install` names the binary after its package directory, `server`; only rename once it succeeded.
  const built = path.join(binDir, process.platform === 'win32' ? 'server.exe' : 'server');
  await rename(built, CACHED_LIVEKIT_BINARY);
  log(`LiveKit: built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** LiveKit publishes Linux builds only (macOS users get it from Homebrew). */
function releaseArchiveName(): string {
  const archByNode: Partial<Record<NodeJS.Architecture, string>> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'armv7',
  };
  const arch = archByNode[process.arch];
  if (process.platform !== 'linux' || arch === undefined) {
    throw new LiveKitBinaryError(
      `no LiveKit release archive for ${process.platform}/${process.arch}: install Go (https://go.dev/dl/) and rerun ` +
        '`npm install`, or install livekit-server yourself (macOS: `brew install livekit`) and put it on PATH ' +
        'or set LIVEKIT_SERVER_BIN',
    );
  }
  return `livekit_${LIVEKIT_VERSION}_linux_${arch}.tar.gz`;
}

/** Exported with a base URL parameter so the verification can be exercised against a local server. */
export async function downloadRelease(log: Log, baseUrl = RELEASE_BASE_URL): Promise<void> {
  const archiveName = releaseArchiveName();
  log(`LiveKit: Go not found; downloading the official release ${archiveName}`);
  const checksums = (await downloadBuffer(`${baseUrl}/checksums.txt`)).toString('utf8');
  const expected = parseChecksums(checksums).get(archiveName);
  if (expected === undefined) {
    throw new LiveKitBinaryError(
      `checksums.txt of LiveKit v${LIVEKIT_VERSION} does not list ${archiveName}`,
    );
  }
  const archive = await downloadBuffer(`${baseUrl}/${archiveName}`);
  const actual = sha256Buffer(archive);
  if (actual !== expected) {
    throw new LiveKitBinaryError(
      `${archiveName} has sha256 ${actual}, but the release's checksums.txt says ${expected}; not using it`,
    );
  }
  log(`LiveKit: ${archiveName} verified (sha256 ${actual})`);

  const workDir = await mkdtemp(path.join(CACHE_DIR, 'livekit-download-'));
  try {
    const archivePath = path.join(workDir, archiveName);
    await writeFileAtomic(archivePath, archive);
    // GNU tar is on every Linux LiveKit publishes builds for, so no archive library is needed;
    // --no-anchored also matches a `./livekit-server` member, as LiveKit's own install script does.
    execFileSync(
      'tar',
      ['-xzf', archivePath, '-C', workDir, '--wildcards', '--no-anchored', 'livekit-server'],
      {
        stdio: 'inherit',
      },
    );
    const extracted = path.join(workDir, 'livekit-server');
    await chmod(extracted, 0o755);
    await mkdir(path.dirname(CACHED_LIVEKIT_BINARY), { recursive: true });
    await rename(extracted, CACHED_LIVEKIT_BINARY);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Parses goreleaser's `checksums.txt`: one `<sha256>  <file name>` per line. */
export function parseChecksums(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/i.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined)
      entries.set(match[2], match[1].toLowerCase());
  }
  return entries;
}
