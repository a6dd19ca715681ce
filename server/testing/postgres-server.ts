import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, `pg_ctl start` on a
 * free loopback port with its socket in that folder, torn down (folder removed) by `stop()`.
 * Binaries are found, in order, by `pg_config --bindir`, the newest /usr/lib/postgresql/<n>/bin
 * (Debian's postgresql-<n> package) and the PATH. initdb refuses to run as root, so as root the
 * server runs as the `postgres` user that package creates.
 */
export interface TestPostgres {
  /** A connection string to a new, empty database on this server. */
  createDatabase(): Promise<string>;
  /** Kills the server without a shutdown checkpoint (like a crash or power loss), then restarts it. */
  crashAndRestart(): Promise<void>;
  stop(): Promise<void>;
}

const REQUIRED = ['initdb', 'pg_ctl', 'postgres'];

function hasBinaries(dir: string): boolean {
  return REQUIRED.every((name) => existsSync(join(dir, name)));
}

export function findPostgresBinDir(): string | undefined {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    if (hasBinaries(dir)) return dir;
  } catch {
    // No pg_config on the PATH: try the Debian layout next.
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const dir = join(root, v, 'bin');
      if (hasBinaries(dir)) return dir;
    }
  }
  try {
    const initdb = execFileSync('which', ['initdb'], { encoding: 'utf8' }).trim();
    if (initdb !== '' && hasBinaries(dirname(initdb))) return dirname(initdb);
  } catch {
    // Not on the PATH either.
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function postgresUserIds(): { uid: number; gid: number } {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root and there is no `postgres` user for initdb; install postgresql (apt-get install -y postgresql-15) or run the tests as another user',
    );
  }
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    throw new Error(
      'PostgreSQL binaries (initdb, pg_ctl) not found via pg_config, /usr/lib/postgresql/*/bin or PATH: apt-get install -y postgresql-15',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'li-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUserIds();
    await chown(dir, uid, gid);
  }
  const exec = async (binary: string, args: string[]): Promise<void> => {
    const path = join(binDir, binary);
    const [command, fullArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
      : [path, args];
    try {
      await run(command, fullArgs, { cwd: dir, timeout: 60_000 });
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`${binary} failed: ${stderr || String(error)}`, { cause: error });
    }
  };
  const port = await freePort();
  const user = 'li_test';
  await exec('initdb', [
    '-D',
    dataDir,
    '-U',
    user,
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-instructions',
  ]);
  const options = [
    `-p ${String(port)}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    // Durable as in production: the crash test relies on fsync being on.
    '-c fsync=on',
    '-c max_connections=50',
  ].join(' ');
  const start = () => exec('pg_ctl', ['-D', dataDir, '-o', options, '-l', logFile, '-w', 'start']);
  await start();
  const adminUrl = `postgres://${user}@127.0.0.1:${String(port)}/postgres`;
  let databases = 0;

  return {
    async createDatabase() {
      databases += 1;
      const name = `t${String(databases)}_${String(process.pid)}`;
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://${user}@127.0.0.1:${String(port)}/${name}`;
    },
    async crashAndRestart() {
      await exec('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      await start();
    },
    async stop() {
      await exec('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
