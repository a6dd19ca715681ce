import { describe, expect, test } from 'vitest';
import { silentLogger } from '../log/logger';
import { StorageFullError } from './errors';
import { StorageHealth } from './storage-health';

function setup() {
  let full = false;
  let clock = 0;
  const probes: number[] = [];
  const health = new StorageHealth(
    async () => {
      probes.push(clock);
      if (full) throw new StorageFullError();
    },
    silentLogger,
    () => clock,
  );
  const write = () =>
    health.track(async () => {
      if (full) throw new StorageFullError();
      return 'ok';
    });
  return {
    health,
    write,
    probes,
    setFull: (value: boolean) => (full = value),
    advance: (ms: number) => (clock += ms),
  };
}

describe('storage health', () => {
  test('a failing write turns it to failing, naming storage; a succeeding one back to ok', async () => {
    const t = setup();
    expect(await t.health.check()).toEqual({ ok: true, reason: null });
    t.setFull(true);
    await expect(t.write()).rejects.toBeInstanceOf(StorageFullError);
    const failing = await t.health.check();
    expect(failing.ok).toBe(false);
    expect(failing.reason).toMatch(/^storage is full/);
    t.setFull(false);
    await expect(t.write()).resolves.toBe('ok');
    expect((await t.health.check()).ok).toBe(true);
  });

  test('while failing, checks probe (at most once a second) and notice recovery with no write', async () => {
    const t = setup();
    t.setFull(true);
    await t.write().catch(() => undefined);
    await t.health.check();
    await t.health.check();
    expect(t.probes).toHaveLength(1);
    t.advance(1_000);
    t.setFull(false);
    expect((await t.health.check()).ok).toBe(true);
    expect(t.probes).toHaveLength(2);
    // Healthy: no probing at all.
    t.advance(5_000);
    await t.health.check();
    expect(t.probes).toHaveLength(2);
  });

  test('errors that are not storage errors leave it healthy', async () => {
    const t = setup();
    await expect(
      t.health.track(async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toThrow('a bug');
    expect((await t.health.check()).ok).toBe(true);
  });
});
