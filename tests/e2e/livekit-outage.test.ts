import path from 'node:path';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { resolveLiveKitBinary } from '../../scripts/livekit-binary';
import { startLiveKit, type LiveKitProcess } from '../../scripts/livekit-process';
import { CACHE_DIR } from '../../scripts/repo-paths';
import type { SessionRecord } from '../../shared/record/session-record';
import { E2E_LIVEKIT_PORTS } from './global-setup';
import { startAppServer, type AppServer } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { joinInterview } from './support/interview-pages';
import { waitFor } from './support/wait-for';

/**
 * LiveKit goes away for 50 s under a real candidate page and comes back on the same port (as a
 * restart would: every room is gone). This test runs its own LiveKit, 500 ports above the
 * harness's block, so stopping it disturbs no other test.
 */
const PORT = E2E_LIVEKIT_PORTS.port + 500;
const KEY = 'outage-test-key';
const SECRET = 'outage-test-secret-0123456789abcdef0123';
const OUTAGE_MS = 50_000;

function startOwnLiveKit(): Promise<LiveKitProcess> {
  const binary = resolveLiveKitBinary();
  if (binary === undefined) throw new Error('no LiveKit binary: run npm install');
  return startLiveKit({
    binary,
    apiKey: KEY,
    apiSecret: SECRET,
    port: PORT,
    rtcTcpPort: 0,
    udpPortStart: PORT + 2,
    udpPortEnd: PORT + 70,
    logFile: path.join(CACHE_DIR, 'e2e', `livekit-outage-${PORT}.log`),
  });
}

function missingSeqs(record: SessionRecord): number[] {
  const seqs = new Set([...record.samples, ...record.events].map((m) => m.seq));
  const max = Math.max(...seqs);
  return Array.from({ length: max + 1 }, (_, i) => i).filter((i) => !seqs.has(i));
}

describe('LiveKit outage', () => {
  let livekit: LiveKitProcess | undefined;
  let app: AppServer | undefined;
  let candidate: ChromiumSession | undefined;
  afterAll(async () => {
    await candidate?.close();
    await app?.close();
    await livekit?.stop();
  });

  test('after 50 s without LiveKit the page is back in the room by itself and nothing is lost', async () => {
    livekit = await startOwnLiveKit();
    app = await startAppServer({ url: livekit.url, apiKey: KEY, apiSecret: SECRET });
    const server = app;
    candidate = await launchChromium({ fakeVideo: inject('clips').astronaut });
    const iv = await server.createInterview('e2e-outage-0001');
    const page = await candidate.newPage();
    await joinInterview(page, iv.candidate_url);
    const record = (): Promise<SessionRecord> => server.server.interviews.record(iv.id);
    await waitFor(async () => (await record()).samples.length >= 3, 60_000, 'samples', 250);

    await livekit.stop();
    const downAtMs = Date.now();
    await page
      .getByRole('status')
      .filter({ hasText: /reconnecting/i })
      .first()
      .waitFor({ timeout: 30_000 });
    await waitFor(
      () => !server.server.interviews.liveState(iv.id).recorder_connected,
      30_000,
      'the recorder to notice',
    );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - downAtMs))),
    );
    livekit = await startOwnLiveKit();
    const upAtMs = Date.now();

    await waitFor(
      () => server.server.interviews.liveState(iv.id).recorder_connected,
      45_000,
      'the recorder to rejoin',
      250,
    );
    // Samples measured during the outage arrive (the backlog drains at a paced rate), and new
    // ones after it, with no gap.
    const after = await waitFor(
      async () => {
        const r = await record();
        const late = r.samples.filter((s) => s.receivedAtMs > upAtMs);
        return late.some((s) => s.windowEndMs < upAtMs - 10_000) &&
          late.some((s) => s.windowStartMs > upAtMs) &&
          missingSeqs(r).length === 0
          ? r
          : undefined;
      },
      45_000,
      'the outage backlog and new samples, with no gap',
      500,
    );
    expect(missingSeqs(after)).toEqual([]);
    expect(
      after.samples.filter(
        (s) => s.windowEndMs > downAtMs + 5_000 && s.windowEndMs < upAtMs - 5_000,
      ).length,
    ).toBeGreaterThanOrEqual(30);
    expect(after.rejected).toEqual([]);
    expect(await page.getByText('Reload the page to rejoin').count()).toBe(0);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /reconnecting/i })
        .count(),
    ).toBe(0);
    await page.close();
  }, 180_000);
});
