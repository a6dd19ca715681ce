import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newSessionRecord, type SessionRecord } from '../../shared/record/session-record';
import { T0_MS, makeSample } from '../../shared/scoring/test-fixtures';
import { StorageFullError } from './errors';
import { createSessionExport, type ExportFileSystem } from './session-export';

const ID = '3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f';

function record(samples = 1): SessionRecord {
  return {
    ...newSessionRecord({
      id: ID,
      candidateHash: 'cand-hash-0001',
      createdAt: new Date(T0_MS),
      retainUntil: new Date(T0_MS + 86_400_000),
      tokenHashes: { candidate: 'a', interviewer: 'b' },
    }),
    samples: Array.from({ length: samples }, (_, seq) => ({
      ...makeSample({ seq }),
      receivedAtMs: T0_MS,
    })),
  };
}

/** A file system whose file writes put half the bytes down, then fail as a full disk does. */
const fullDisk: ExportFileSystem = {
  open: async (...args: Parameters<typeof open>) => {
    const handle = await open(...args);
    return new Proxy(handle, {
      get(target, property, receiver) {
        if (property === 'writeFile') {
          return async (data: string) => {
            await target.writeFile(data.slice(0, data.length / 2));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
              code: 'ENOSPC',
            });
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  },
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('session export', () => {
  test('writes the versioned document and reads it back', async () => {
    const exporter = createSessionExport(dir);
    await exporter.init();
    await exporter.write(record(3));
    expect(await readdir(dir)).toEqual([`${ID}.json`]);
    expect(await exporter.read(ID)).toEqual(record(3));
    await exporter.remove(ID);
    expect(await exporter.read(ID)).toBeNull();
  });

  test('start-up removes temp files a crash left behind, and only those', async () => {
    await writeFile(join(dir, `${ID}.json.4242.tmp`), '{"half":');
    await writeFile(join(dir, `${ID}.json`), '{}');
    const { staleTempFiles } = await createSessionExport(dir).init();
    expect(staleTempFiles).toBe(1);
    expect(await readdir(dir)).toEqual([`${ID}.json`]);
  });

  test('a full disk fails with StorageFullError, keeps the previous document and no temp file', async () => {
    await createSessionExport(dir).write(record(1));
    const exporter = createSessionExport(dir, fullDisk);
    const failure = await exporter.write(record(50)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StorageFullError);
    expect((failure as StorageFullError).reason).toMatch(/storage is full/);
    expect(await readdir(dir)).toEqual([`${ID}.json`]);
    expect((await createSessionExport(dir).read(ID))?.samples).toHaveLength(1);
  });

  test.each(['../etc/passwd', 'not-a-uuid'])('refuses to build a path from %j', async (id) => {
    const exporter = createSessionExport(dir);
    await expect(exporter.read(id)).rejects.toThrow();
    await expect(exporter.remove(id)).rejects.toThrow();
  });
});
