import { readdir } from 'node:fs/promises';
import { describe, expect, test, vi } from 'vitest';
import { T0_MS } from '../../shared/scoring/test-fixtures';
import { createTestApp } from '../testing/test-service';

describe('retention', () => {
  test('records past their retention period are deleted at start and on purge', async () => {
    let now = T0_MS;
    const t = await createTestApp({ now: () => now });
    const created = await t.interviews.create('cand-hash-0001');
    now += 29 * 86_400_000;
    expect(await t.interviews.purgeExpired()).toBe(0);
    now += 2 * 86_400_000;
    expect(await t.interviews.purgeExpired()).toBe(1);
    expect(await readdir(t.dir)).toEqual([]);
    expect(() => t.interviews.resolve('x')).toThrow();
    expect(t.interviews.list().map((i) => i.id)).not.toContain(created.id);
    await t.cleanup();
  });
});

describe('recorder loss', () => {
  test('a recorder LiveKit dropped rejoins while the interview is live, not after completion', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = await createTestApp();
      const iv = await t.interviews.create('cand-hash-0001');
      const token = new URL(iv.candidateUrl).pathname.split('/')[2] ?? '';
      await t.interviews.join(token);
      expect(t.joinCount()).toBe(1);

      t.loseRecorder(iv.id);
      expect(t.interviews.isLive(iv.id)).toBe(false);
      await vi.advanceTimersByTimeAsync(1_900);
      expect(t.joinCount()).toBe(1);
      // The rejoin reads the record from disk: real I/O, so wait for it rather than for timers alone.
      await vi.waitFor(() => {
        expect(t.joinCount()).toBe(2);
      });
      expect(t.interviews.isLive(iv.id)).toBe(true);

      await t.interviews.complete(iv.id, 'interviewer');
      t.loseRecorder(iv.id);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(t.joinCount()).toBe(2);
      await t.interviews.close();
      await t.cleanup();
    } finally {
      vi.useRealTimers();
    }
  });
});
