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

/** Sum of one inbound-rtp statistic of one media kind over the page's peer connections. */
async function inboundTotal(page: Page, kind: 'audio' | 'video', field: string): Promise<number> {
  return page.evaluate(`(async () => {
    let total = 0;
    for (const pc of window.__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      const stats = await pc.getStats();
      stats.forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === ${JSON.stringify(kind)}) total += r[${JSON.stringify(field)}] ?? 0;
      });
    }
    return total;
  })()`);
}

/** Video frames the page decoded, from WebRTC's getStats(). */
export function framesDecoded(page: Page): Promise<number> {
  return inboundTotal(page, 'video', 'framesDecoded');
}

/** Audio samples the page received, from WebRTC's getStats(). */
export function audioSamplesReceived(page: Page): Promise<number> {
  return inboundTotal(page, 'audio', 'totalSamplesReceived');
}

/** Opens a link and presses "Join interview" once the page offers it. */
export async function joinInterview(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const button = page.getByRole('button', { name: 'Join interview' });
  await button.waitFor({ state: 'visible', timeout: 20_000 });
  await waitFor(() => button.isEnabled(), 20_000, 'the Join interview button to be enabled');
  await button.click();
}

export async function waitForDecodedVideo(
  page: Page,
  who: string,
  timeoutMs = 30_000,
): Promise<number> {
  return waitFor(
    async () => {
      const n = await framesDecoded(page);
      return n > 0 ? n : undefined;
    },
    timeoutMs,
    `${who} to decode video frames`,
  );
}

/** The interviewer ends the interview: "End interview", then the same button in the dialog. */
export async function endInterview(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'End interview' }).click();
  const dialog = page.getByRole('dialog', { name: 'End the interview for both of you?' });
  await dialog.waitFor({ timeout: 5_000 });
  await dialog.getByRole('button', { name: 'End interview' }).click();
}
