import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, test } from 'vitest';
import { startAppServer, type AppServer, sharedLiveKit } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { joinInterview } from './support/interview-pages';
import { waitFor } from './support/wait-for';

/** Contiguous 0..n-1, i.e. nothing the candidate sent was lost. */
function missingSeqs(seqs: readonly number[]): number[] {
  const have = new Set(seqs);
  const max = Math.max(...seqs);
  return Array.from({ length: max + 1 }, (_, i) => i).filter((i) => !have.has(i));
}

describe('resilience', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(cleanups.splice(0).map((c) => c()));
  });

  test('a server restart loses nothing: the candidate re-sends until the new recorder acknowledges', async () => {
    const app: AppServer = await startAppServer(sharedLiveKit());
    cleanups.push(() => app.close());
    const candidate: ChromiumSession = await launchChromium({
      fakeVideo: inject('clips').astronaut,
    });
    cleanups.push(() => candidate.close());
    const iv = await app.createInterview('e2e-restart-0001');
    const page = await candidate.newPage();
    await joinInterview(page, iv.candidate_url);
    await waitFor(
      async () =>
        (await app.server.interviews.record(iv.id)).samples.length >= 3 ? true : undefined,
      45_000,
      'three samples before the restart',
      250,
    );

    // The recorder leaves with the old server; samples published meanwhile reach no one.
    await app.restart();
    const record = await waitFor(
      async () => {
        const r = await app.server.interviews.record(iv.id);
        return r.samples.length >= 12 ? r : undefined;
      },
      60_000,
      'samples after the restart',
      250,
    );
    const seqs = [...record.samples, ...record.events].map((m) => m.seq);
    expect(new Set(record.samples.map((s) => s.stream)).size).toBe(1);
    expect(
      missingSeqs(seqs.filter((seq) => seq <= Math.max(...record.samples.map((s) => s.seq)))),
    ).toEqual([]);
    // Stored once each, however often they were sent.
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  test('a model that cannot load is shown to the candidate and recorded; the interview goes on', async () => {
    const emptyModels = await mkdtemp(join(tmpdir(), 'li-no-model-'));
    cleanups.push(() => rm(emptyModels, { recursive: true, force: true }));
    const app = await startAppServer(sharedLiveKit(), { modelsDir: emptyModels });
    cleanups.push(() => app.close());
    const candidate = await launchChromium({ fakeVideo: inject('clips').astronaut });
    cleanups.push(() => candidate.close());
    const iv = await app.createInterview('e2e-no-model-01');
    const page = await candidate.newPage();
    await joinInterview(page, iv.candidate_url);

    await page
      .getByRole('alert')
      .filter({ hasText: 'Face analysis is unavailable' })
      .waitFor({ timeout: 30_000 });
    const record = await waitFor(
      async () => {
        const r = await app.server.interviews.record(iv.id);
        return r.events.some((e) => e.kind === 'analysis_failed') ? r : undefined;
      },
      20_000,
      'the analysis_failed event',
      250,
    );
    expect(record.status).toBe('live');
    // A measurement problem, never suspicion: it costs nothing.
    const live = app.server.interviews.liveState(iv.id);
    expect(
      live.score.contributions.some((c) => c.type === 'penalty' && c.kind === 'analysis_failed'),
    ).toBe(false);
    expect(live.flags.find((f) => f.kind === 'analysis_failed')?.category).toBe('measurement');
  });
});
