import { open as openFile, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import {
  InterviewIdSchema,
  SessionRecordSchema,
  type SessionRecord,
} from '../../shared/record/session-record';
import { formatIssues } from '../../shared/protocol/data-message';
import { CorruptRecordError } from '../errors/errors';
import { storageOperation } from './errors';
import type { StorageHealth } from './storage-health';

/**
 * The product's export: one `SESSIONS_DIR/<id>.json` per completed interview (schema
 * `live-interview/session` v1), written once at completion. The database is the system of
 * record; this file is what a parent system or an auditor takes away. Written durably: a temp
 * file in the same folder, fsynced, renamed over the target, then the folder fsynced so the
 * rename itself survives a power loss. A failed write removes its temp file.
 */
export interface SessionExport {
  readonly dir: string;
  /** Creates the folder and removes temp files a crash left behind. */
  init(): Promise<{ staleTempFiles: number }>;
  write(record: SessionRecord): Promise<void>;
  read(id: string): Promise<SessionRecord | null>;
  remove(id: string): Promise<void>;
}

/** The file-system calls the export makes, injectable so tests can fail a write. */
export interface ExportFileSystem {
  open: typeof openFile;
}

const TEMP_SUFFIX = '.tmp';

export function createSessionExport(
  dir: string,
  fs: ExportFileSystem = { open: openFile },
  /** Told about every write, so a full disk shows on /healthz. */
  health?: StorageHealth,
): SessionExport {
  const docPath = (id: string): string => join(dir, `${InterviewIdSchema.parse(id)}.json`);

  async function fsyncDir(): Promise<void> {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    dir,
    init: () =>
      storageOperation(async () => {
        await mkdir(dir, { recursive: true });
        const stale = (await readdir(dir)).filter((name) => name.endsWith(TEMP_SUFFIX));
        await Promise.all(stale.map((name) => rm(join(dir, name), { force: true })));
        return { staleTempFiles: stale.length };
      }),
    write: (record) => {
      const write = () =>
        storageOperation(async () => {
          const path = docPath(record.id);
          const tmp = `${path}.${String(process.pid)}${TEMP_SUFFIX}`;
          try {
            const handle = await fs.open(tmp, 'w', 0o600);
            try {
              await handle.writeFile(JSON.stringify(record, null, 2));
              await handle.sync();
            } finally {
              await handle.close();
            }
            await rename(tmp, path);
          } catch (error) {
            await rm(tmp, { force: true });
            throw error;
          }
          await fsyncDir();
        });
      return health ? health.track(write) : write();
    },
    read: (id) =>
      storageOperation(async () => {
        let text: string;
        try {
          text = await readFile(docPath(id), 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
          throw error;
        }
        const parsed = SessionRecordSchema.safeParse(JSON.parse(text));
        if (!parsed.success) {
          throw new CorruptRecordError(`${docPath(id)}: ${formatIssues(parsed.error)}`);
        }
        return parsed.data;
      }),
    remove: (id) =>
      storageOperation(async () => {
        await rm(docPath(id), { force: true });
        // A journal from before the database existed goes with its interview.
        await rm(join(dir, `${InterviewIdSchema.parse(id)}.journal.ndjson`), { force: true });
      }),
  };
}
