import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchChromiumOptions {
  /** Y4M clip the fake camera plays in a loop (see clips.ts); without it Chromium's test pattern. */
  fakeVideo?: string;
  /** Extra command-line flags, appended last. */
  extraArgs?: string[];
  startTimeoutMs?: number;
}

export interface ChromiumSession {
  browser: Browser;
  /** Chromium's own default context: the only one whose pages really become hidden (see below). */
  context: BrowserContext;
  pid: number;
  newPage(): Promise<Page>;
  /**
   * Really hides `page` (document.visibilityState 'hidden', visibilitychange, blur) by bringing
   * another tab of the same window to the front, as a candidate switching tabs would. Returns that
   * other tab; `showPage` brings `page` back.
   */
  hidePage(page: Page): Promise<Page>;
  showPage(page: Page): Promise<void>;
  /** Disconnects, ends the Chromium process group and deletes its profile directory. */
  close(): Promise<void>;
}

/**
 * Flags for a quiet headless Chromium that only talks to the pages a test opens. Without the
 * background-networking ones Chromium keeps trying to reach Google; mDNS candidate hiding would
 * send multicast packets off loopback.
 */
const BASE_FLAGS = [
  '--headless',
  '--remote-debugging-port=0',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-extensions',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-features=WebRtcHideLocalIpsWithMdns,Translate,OptimizationHints,MediaRouter',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

const DEVTOOLS_LINE = /DevTools listening on (ws:\/\/\S+)/;

/**
 * Starts /usr/bin/chromium itself and attaches with connectOverCDP({ noDefaults: true }).
 * Playwright's own chromium.launch() adds flags and focus emulation that keep every page
 * 'visible', so a tab switch could never be observed; attaching to a plain Chromium and using its
 * default context avoids both. One process per fake camera: the clip is a process-wide flag.
 */
export async function launchChromium(
  options: LaunchChromiumOptions = {},
): Promise<ChromiumSession> {
  const { fakeVideo, extraArgs = [], startTimeoutMs = 30_000 } = options;
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'live-interview-chromium-'));
  const args = [
    ...BASE_FLAGS,
    `--user-data-dir=${profileDir}`,
    ...(fakeVideo === undefined ? [] : [`--use-file-for-fake-video-capture=${fakeVideo}`]),
    ...extraArgs,
    'about:blank',
  ];
  // Its own process group, so close() also ends the renderer, GPU and utility processes.
  const child = spawn(CHROMIUM_PATH, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) {
    await rm(profileDir, { recursive: true, force: true });
    throw new Error(`could not start ${CHROMIUM_PATH}`);
  }
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
  });
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  const killOnExit = (): void => killGroup('SIGKILL');
  process.on('exit', killOnExit);

  const stderrTail: string[] = [];
  const wsEndpoint = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () =>
        fail(new Error(`Chromium did not print its DevTools address within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      reject(new Error(`${error.message}\n${stderrTail.join('\n')}`));
    };
    child.on('error', fail);
    child.on('exit', (code, signal) =>
      fail(new Error(`Chromium exited during startup (${signal ?? `exit code ${code}`})`)),
    );
    child.stderr.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        stderrTail.push(line);
        if (stderrTail.length > 30) stderrTail.shift();
        const match = DEVTOOLS_LINE.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
  }).catch(async (error: unknown) => {
    killGroup('SIGKILL');
    process.off('exit', killOnExit);
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  });
  // Keep draining stderr so a chatty Chromium never blocks on a full pipe.
  child.stderr.resume();

  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(wsEndpoint, { noDefaults: true, isLocal: true });
  } catch (error) {
    killGroup('SIGKILL');
    process.off('exit', killOnExit);
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  const context = browser.contexts()[0];
  if (context === undefined) throw new Error('Chromium has no default browser context');

  let closed = false;
  return {
    browser,
    context,
    pid,
    newPage: () => context.newPage(),
    async hidePage(page) {
      // Only tabs of the same window hide each other; a page of another context would stay visible.
      if (page.context() !== context)
        throw new Error('hidePage: the page belongs to another browser context');
      const cover = await context.newPage();
      await cover.bringToFront();
      return cover;
    },
    async showPage(page) {
      await page.bringToFront();
    },
    async close() {
      if (closed) return;
      closed = true;
      process.off('exit', killOnExit);
      await browser.close().catch(() => undefined);
      if (!exited) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 3_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      // Child processes of the group may outlive the browser process by a moment.
      killGroup('SIGKILL');
      await rm(profileDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    },
  };
}
