import type { Page } from 'playwright-core';
import { waitFor } from './wait-for';

/**
 * Keeps every RTCPeerConnection the page creates, so a test can read WebRTC's own statistics
 * (frames decoded) without any test hook in the product.
 */
const CAPTURE_PEER_CONNECTIONS = `
  (() => {
    const Native = window.RTCPeerConnection;
    window.__pcs = [];
    window.RTCPeerConnection = function (...args) {
      const pc = new Native(...args);
      window.__pcs.push(pc);
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    Object.setPrototypeOf(window.RTCPeerConnection, Native);
  })();
`;

export async function preparePage(page: Page): Promise<void> {
  await page.addInitScript(CAPTURE_PEER_CONNECTIONS);
}

/** Sum of `framesDecoded` over the page's inbound video streams, from getStats(). */
export async function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(`(async () => {
    let total = 0;
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'video') total += r.framesDecoded ?? 0;
      });
    }
    return total;
  })()`);
}

/** Opens a link and presses "Join interview" once the page offers it. */
export async function joinInterview(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const button = page.getByRole('button', { name: 'Join interview' });
  await button.waitFor({ state: 'visible', timeout: 20_000 });
  await waitFor(() => button.isEnabled(), 20_000, 'the Join interview button to be enabled');
  await button.click();
}

export async function waitForDecodedVideo(page: Page, who: string, timeoutMs = 30_000): Promise<number> {
  return waitFor(async () => {
    const n = await framesDecoded(page);
    return n > 0 ? n : undefined;
  }, timeoutMs, `${who} to decode video frames`);
}
