import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startAppServer, type AppServer } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { joinInterview } from './support/interview-pages';
import { waitFor } from './support/wait-for';

/**
 * Counts what the page hands to LiveKit's reliable data channel (our messages are its only
 * traffic there), without any test hook in the product.
 */
const COUNT_DATA_SENDS = `
  (() => {
    window.__reliableSends = 0;
    const send = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (...args) {
      if (this.label === '_reliable') window.__reliableSends += 1;
      return send.apply(this, args);
    };
  })();
`;

describe('delivery from a real candidate page', () => {
  let app: AppServer;
  let candidate: ChromiumSession;

  beforeAll(async () => {
    app = await startAppServer();
    candidate = await launchChromium({ fakeVideo: inject('clips').astronaut });
  });

  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed part-way */
    await candidate?.close();
    await app?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  test('in steady state every message is sent once: the hidden recorder’s acks are taken', async () => {
    const iv = await app.createInterview('e2e-sends-once1');
    const page = await candidate.newPage();
    await page.addInitScript(COUNT_DATA_SENDS);
    await joinInterview(page, iv.candidate_url);
    const stored = async (): Promise<number> => {
      const r = await app.server.interviews.record(iv.id);
      return r.samples.length + r.events.length;
    };
    const sends = (): Promise<number> =>
      page.evaluate(() => (window as unknown as { __reliableSends: number }).__reliableSends);

    // Past the start (handshake, calibration), then 20 more messages of steady state.
    await waitFor(async () => (await stored()) >= 5, 60_000, 'five stored messages', 250);
    const [sends0, stored0] = [await sends(), await stored()];
    await waitFor(async () => (await stored()) >= stored0 + 20, 60_000, '20 more messages', 250);
    const [sends1, stored1] = [await sends(), await stored()];
    const messages = stored1 - stored0;
    const sent = sends1 - sends0;
    console.log(`[e2e] steady state: ${sent} sends for ${messages} messages`);
    // A message or two may be in flight at either reading; re-sends every 3 s would be ~10x.
    expect(sent).toBeGreaterThanOrEqual(messages - 2);
    expect(sent).toBeLessThanOrEqual(messages + 2);
    expect((await app.server.interviews.record(iv.id)).rejected).toEqual([]);
    await page.close();
  });
});
