import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CACHE_DIR } from './repo-paths';

/** The LiveKit server release the project is tested against; livekit.yaml uses its key names. */
export const LIVEKIT_VERSION = '1.13.5';

/** Where setup puts a binary it built or downloaded (`.cache/` is git-ignored). */
export const CACHED_LIVEKIT_BINARY = path.join(
  CACHE_DIR,
  'bin',
  process.platform === 'win32' ? 'livekit-server.exe' : 'livekit-server',
);

export class LiveKitBinaryError extends Error {
  override readonly name = 'LiveKitBinaryError';
}

/**
 * Finds the LiveKit server binary without building or downloading anything, in this order:
 * `LIVEKIT_SERVER_BIN` (an explicit choice, so a wrong path is an error rather than skipped),
 * `livekit-server` on PATH, then the one `npm install` put in `.cache/bin/`.
 * Returns undefined when there is none; `npm install` (scripts/setup.ts) provides one.
 */
export function resolveLiveKitBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.LIVEKIT_SERVER_BIN;
  if (explicit !== undefined && explicit !== '') {
    const resolved = path.resolve(explicit);
    if (!isExecutableFile(resolved)) {
      throw new LiveKitBinaryError(`LIVEKIT_SERVER_BIN=${explicit} is not an executable file`);
    }
    return resolved;
  }
  const onPath = findOnPath('livekit-server', env.PATH ?? '');
  if (onPath !== undefined) return onPath;
  if (isExecutableFile(CACHED_LIVEKIT_BINARY)) return CACHED_LIVEKIT_BINARY;
  return undefined;
}

/** The version a binary reports (`livekit-server version 1.13.5`), or undefined if it will not run. */
export function liveKitBinaryVersion(binary: string): string | undefined {
  try {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    return /version\s+(\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

export function findOnPath(name: string, searchPath: string): string | undefined {
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    for (const suffix of suffixes) {
      const candidate = path.join(dir, name + suffix);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
