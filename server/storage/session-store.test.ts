import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { T0_MS, makeSample } from '../../shared/scoring/test-fixtures';
import { createTestApp } from '../testing/test-service';
import { createFileSessionStore, type SessionStore } from './session-store';

let dir: string;
let store: SessionStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'li-store-'));
  store = createFileSessionStore(dir);
  await store.init();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function seed(): Promise<string> {
  const t = await createTestApp();
  const created = await t.interviews.create('cand-hash-0001');
  const record = await t.interviews.record(created.id);
  await store.write(record);
  await t.cleanup();
  return created.id;
}

describe('file session store', () => {
  test('replays the journal onto the snapshot and skips a torn last line', async () => {
    const id = await seed();
    await store.append(id, {
      entry: 'sample',
      sample: { ...makeSample({ seq: 0 }), receivedAtMs: T0_MS },
    });
    await store.append(id, {
      entry: 'sample',
      sample: { ...makeSample({ seq: 1 }), receivedAtMs: T0_MS },
    });
    await appendFile(join(dir, `${id}.journal.ndjson`), '{"entry":"sample","sam');
    const record = await store.read(id);
    expect(record?.samples.map((s) => s.seq)).toEqual([0, 1]);
  });

  test('finalise writes the document and drops the journal', async () => {
    const id = await seed();
    await store.append(id, {
      entry: 'sample',
      sample: { ...makeSample({ seq: 0 }), receivedAtMs: T0_MS },
    });
    const record = await store.read(id);
    if (!record) throw new Error('record missing');
    await store.finalise({ ...record, status: 'completed' });
    expect(await readdir(dir)).toEqual([`${id}.json`]);
    const doc = JSON.parse(await readFile(join(dir, `${id}.json`), 'utf8')) as {
      samples: unknown[];
      status: string;
    };
    expect(doc.samples).toHaveLength(1);
    expect(doc.status).toBe('completed');
  });

  test.each(['../etc/passwd', 'not-a-uuid', ''])('refuses to build a path from %j', async (id) => {
    await expect(store.read(id)).rejects.toThrow();
    await expect(store.remove(id)).rejects.toThrow();
  });

  test('lists only files named by ids', async () => {
    const id = await seed();
    await appendFile(join(dir, 'notes.json'), '{}');
    expect(await store.listIds()).toEqual([id]);
  });
});
