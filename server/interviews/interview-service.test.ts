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
    await expect(t.interviews.resolve('x')).rejects.toThrow();
    expect((await t.interviews.list()).interviews.map((i) => i.id)).not.toContain(created.id);
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
      // Still live for the interviewer, who is told that recording is paused.
      expect(t.interviews.isLive(iv.id)).toBe(true);
      expect(t.interviews.liveState(iv.id).recorder_connected).toBe(false);
      await vi.advanceTimersByTimeAsync(900);
      expect(t.joinCount()).toBe(1);
      await vi.waitFor(async () => {
        await vi.advanceTimersByTimeAsync(100);
        expect(t.joinCount()).toBe(2);
      });
      expect(t.interviews.liveState(iv.id).recorder_connected).toBe(true);

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

describe('recorder rejoin back-off', () => {
  test('keeps retrying with growing delays for as long as LiveKit is away, then rejoins', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = await createTestApp();
      const iv = await t.interviews.create('cand-hash-0001');
      const token = new URL(iv.candidateUrl).pathname.split('/')[2] ?? '';
      await t.interviews.join(token);
      t.setLiveKitDown(true);
      t.loseRecorder(iv.id);
      // Ten minutes away: attempts at 1, 3, 7, 15, 30, 45... s, far more than 30 tries' worth of
      // time, and far fewer attempts than a fixed 2 s timer would make.
      for (let i = 0; i < 600; i += 1) await vi.advanceTimersByTimeAsync(1_000);
      const attempts = t.attemptCount() - 1;
      expect(attempts).toBeGreaterThanOrEqual(38);
      expect(attempts).toBeLessThanOrEqual(45);
      expect(t.interviews.liveState(iv.id).recorder_connected).toBe(false);

      t.setLiveKitDown(false);
      await vi.waitFor(async () => {
        await vi.advanceTimersByTimeAsync(1_000);
        expect(t.interviews.liveState(iv.id).recorder_connected).toBe(true);
      });
      expect(t.joinCount()).toBe(2);
      await t.interviews.close();
      await t.cleanup();
    } finally {
      vi.useRealTimers();
    }
  });

  test('a participant joining while the recorder is away makes it rejoin at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = await createTestApp();
      const iv = await t.interviews.create('cand-hash-0001');
      const token = new URL(iv.candidateUrl).pathname.split('/')[2] ?? '';
      await t.interviews.join(token);
      t.loseRecorder(iv.id);
      await t.interviews.join(token);
      expect(t.joinCount()).toBe(2);
      expect(t.interviews.liveState(iv.id).recorder_connected).toBe(true);
      expect(t.openedRooms.length).toBeGreaterThanOrEqual(2);
      await t.interviews.close();
      await t.cleanup();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('recorder first join', () => {
  test('a first join while LiveKit is down fails, then the recorder keeps trying until it is in', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const t = await createTestApp();
      const iv = await t.interviews.create('cand-hash-0001');
      const token = new URL(iv.candidateUrl).pathname.split('/')[2] ?? '';
      t.setLiveKitDown(true);
      await expect(t.interviews.join(token)).rejects.toThrow(/not available/);
      expect(t.interviews.liveState(iv.id).recorder_connected).toBe(false);
      t.setLiveKitDown(false);
      await vi.waitFor(async () => {
        await vi.advanceTimersByTimeAsync(1_000);
        expect(t.interviews.liveState(iv.id).recorder_connected).toBe(true);
      });
      await t.interviews.close();
      await t.cleanup();
    } finally {
      vi.useRealTimers();
    }
  });
});
