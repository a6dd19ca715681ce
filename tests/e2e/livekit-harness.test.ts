import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { AccessToken, RoomServiceClient, TrackType } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { REPO_ROOT } from '../../scripts/repo-paths';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { CLIP_HEIGHT_PX, CLIP_WIDTH_PX } from './support/clips';
import { startStaticServer, type StaticServer } from './support/static-server';
import { waitFor } from './support/wait-for';

/**
 * Proves the e2e harness itself: LiveKit answers, a fake camera plays our clip, hiding a tab is
 * observable, and WebRTC media flows over loopback only. Browser code lives in the served pages
 * (not in page.evaluate closures) so the test transform never rewrites it.
 */
const livekitUrl = inject('livekitUrl');
const apiKey = inject('livekitApiKey');
const apiSecret = inject('livekitApiSecret');
const clips = inject('clips');

const PROBE_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>harness probe</title></head><body>
<script type="module">
  window.visibilityLog = [];
  document.addEventListener('visibilitychange', () => {
    window.visibilityLog.push({ state: document.visibilityState, atMs: performance.now() });
  });

  // Camera settings and the colour of a pixel in the clip's grey left margin (x=10, y=240).
  window.probeCamera = async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    const [track] = stream.getVideoTracks();
    const settings = track.getSettings();
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    await new Promise((resolve) => video.requestVideoFrameCallback(() => resolve()));
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    const [r, g, b] = context.getImageData(10, 240, 1, 1).data;
    track.stop();
    return { width: settings.width, height: settings.height, frameRate: settings.frameRate, marginRgb: [r, g, b] };
  };

  window.publishCamera = async (url, token) => {
    const LivekitClient = await import('/livekit-client.mjs');
    const room = new LivekitClient.Room();
    await room.connect(url, token);
    await room.localParticipant.setCameraEnabled(true);
    window.room = room;
    return room.localParticipant.identity;
  };
  window.leaveRoom = async () => {
    await window.room?.disconnect();
  };
  window.probeReady = true;
</script>
</body></html>`;

let pages: StaticServer;
let browser: ChromiumSession;

beforeAll(async () => {
  pages = await startStaticServer({
    '/': { contentType: 'text/html; charset=utf-8', body: PROBE_PAGE },
    '/livekit-client.mjs': {
      contentType: 'text/javascript',
      file: path.join(
        REPO_ROOT,
        'node_modules',
        'livekit-client',
        'dist',
        'livekit-client.esm.mjs',
      ),
    },
  });
  browser = await launchChromium({ fakeVideo: clips.astronaut });
});

afterAll(async () => {
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed part-way */
  await browser?.close();
  await pages?.close();
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
});

async function openProbePage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${pages.url}/`);
  await page.waitForFunction(
    () => (window as unknown as { probeReady?: boolean }).probeReady === true,
  );
  return page;
}

describe('e2e harness', () => {
  test('LiveKit is up: a room created with the server SDK is listed', async () => {
    const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, 'http'), apiKey, apiSecret);
    const name = `harness-${Date.now()}`;
    await rooms.createRoom({ name, emptyTimeout: 10 });
    const listed = await rooms.listRooms([name]);
    expect(listed.map((room) => room.name)).toEqual([name]);
    await rooms.deleteRoom(name);
  });

  test('the fake camera plays the astronaut clip at 640x480', async () => {
    const page = await openProbePage();
    const camera = await page.evaluate(() =>
      (
        window as unknown as {
          probeCamera(): Promise<{
            width: number;
            height: number;
            frameRate: number;
            marginRgb: number[];
          }>;
        }
      ).probeCamera(),
    );
    expect(camera.width).toBe(CLIP_WIDTH_PX);
    expect(camera.height).toBe(CLIP_HEIGHT_PX);
    // The clip's mid-grey margin, not Chromium's green test pattern.
    for (const channel of camera.marginRgb) expect(Math.abs(channel - 128)).toBeLessThan(12);
    await page.close();
  });

  test('bringing another tab to the front really hides the page', async () => {
    const page = await openProbePage();
    expect(await page.evaluate(() => document.visibilityState)).toBe('visible');
    const startedMs = Date.now();
    const cover = await browser.hidePage(page);
    await waitFor(
      async () => (await page.evaluate(() => document.visibilityState)) === 'hidden',
      2_000,
      'the page to become hidden',
    );
    const hiddenAfterMs = Date.now() - startedMs;
    expect(hiddenAfterMs).toBeLessThan(2_000);
    const log = await page.evaluate(
      () => (window as unknown as { visibilityLog: { state: string }[] }).visibilityLog,
    );
    expect(log.map((entry) => entry.state)).toEqual(['hidden']);

    await browser.showPage(page);
    await waitFor(
      async () => (await page.evaluate(() => document.visibilityState)) === 'visible',
      2_000,
      'the page to become visible again',
    );
    await cover.close();
    await page.close();
  });

  test('a browser publishes its camera to LiveKit over loopback only', async () => {
    const roomName = `harness-rtc-${Date.now()}`;
    const identity = 'harness-candidate';
    const token = new AccessToken(apiKey, apiSecret, { identity, ttl: 300 });
    token.addGrant({ roomJoin: true, room: roomName, canPublish: true, canSubscribe: true });
    const rooms = new RoomServiceClient(livekitUrl.replace(/^ws/, 'http'), apiKey, apiSecret);
    // livekit.yaml turns auto_create off: only the server side opens rooms.
    await rooms.createRoom({ name: roomName, emptyTimeout: 30 });
    const page = await openProbePage();

    await page.evaluate(
      ([url, jwt]) =>
        (
          window as unknown as { publishCamera(u: string, t: string): Promise<string> }
        ).publishCamera(url, jwt),
      [livekitUrl, await token.toJwt()] as const,
    );
    await waitFor(
      async () => {
        const participants = await rooms.listParticipants(roomName);
        return participants
          .find((p) => p.identity === identity)
          ?.tracks.some((t) => t.type === TrackType.VIDEO);
      },
      15_000,
      'the camera track to be published',
    );

    // LiveKit logs the candidates of each connection once it is active.
    const activeLine = await waitFor(
      async () =>
        (await readFile(inject('livekitLogFile'), 'utf8'))
          .split('\n')
          .find(
            (line) =>
              line.includes('participant active') &&
              line.includes(`"participant": "${identity}"`) &&
              line.includes(roomName),
          ),
      10_000,
      'LiveKit to log the active connection',
    );
    const localCandidates = [
      ...activeLine.matchAll(/\[local\][^"]*?\b(udp4|udp6|tcp4|tcp6) host ([^\s"]+)/g),
    ].map((m) => m[2]);
    expect(localCandidates.length).toBeGreaterThan(0);
    for (const address of localCandidates) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);

    await page.evaluate(() => (window as unknown as { leaveRoom(): Promise<void> }).leaveRoom());
    await page.close();
    await rooms.deleteRoom(roomName);
  });
});
