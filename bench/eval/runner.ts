import path from 'node:path';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { CreateInterviewResponseSchema } from '../../shared/api/interview-api';
import type { SessionRecord } from '../../shared/record/session-record';
import { resolveLiveKitBinary } from '../../scripts/livekit-binary';
import { startLiveKit, type LiveKitProcess } from '../../scripts/livekit-process';
import { CACHE_DIR } from '../../scripts/repo-paths';
import { E2E_API_KEY, startAppServer, type AppServer } from '../../tests/e2e/support/app-server';
import { launchChromium, type ChromiumSession } from '../../tests/e2e/support/chromium';
import { waitFor } from '../../tests/e2e/support/wait-for';
import { installCameraProbe, readCameraOpens, type CameraOpen } from './camera-probe';

const LIVEKIT_API_KEY = 'eval-key';
/** LiveKit logs an error for secrets shorter than 32 characters. */
const LIVEKIT_API_SECRET = 'eval-secret-0123456789abcdef0123456789abcdef';

/** The real product: a LiveKit server on the port block and the app server (recorder, score). */
export interface EvalEnvironment {
  app: AppServer;
  livekit: LiveKitProcess;
  livekitLog: string;
  close(): Promise<void>;
}

/**
 * Same ports layout as the e2e harness (tests/e2e/global-setup.ts): signalling on the base, UDP
 * for ICE on base+2..base+70, ICE over TCP off. The app server itself takes a free port.
 */
export async function startEnvironment(portBase: number): Promise<EvalEnvironment> {
  const binary = resolveLiveKitBinary();
  if (binary === undefined)
    throw new Error('No LiveKit server binary: run `npm run setup`, or set LIVEKIT_SERVER_BIN');
  const livekitLog = path.join(CACHE_DIR, 'eval', `livekit-${portBase}.log`);
  const livekit = await startLiveKit({
    binary,
    apiKey: LIVEKIT_API_KEY,
    apiSecret: LIVEKIT_API_SECRET,
    port: portBase,
    rtcTcpPort: 0,
    udpPortStart: portBase + 2,
    udpPortEnd: portBase + 70,
    logFile: livekitLog,
    // Ctrl+C reaches only this process, which stops the app before LiveKit.
    detached: true,
  });
  let app: AppServer;
  try {
    app = await startAppServer({
      url: livekit.url,
      apiKey: LIVEKIT_API_KEY,
      apiSecret: LIVEKIT_API_SECRET,
    });
  } catch (error) {
    await livekit.stop();
    throw error;
  }
  return {
    app,
    livekit,
    livekitLog,
    async close() {
      await app.close().catch(() => undefined);
      await livekit.stop();
    },
  };
}

export interface ClipRunOptions {
  name: string;
  y4m: string;
  durationS: number;
  fps: number;
  /** Called with short progress lines. */
  progress: (line: string) => void;
  /** Registers the Chromium of the clip so an interrupt can close it. */
  onChromium: (session: ChromiumSession | null) => void;
}

export interface ClipRun {
  interviewId: string;
  identityCheck: boolean;
  /** Every camera stream the candidate page opened, oldest first. */
  cameraOpens: CameraOpen[];
  record: SessionRecord;
  /** What the candidate page's status line said when the clip ended (e.g. "Calibrating"). */
  statusAtEnd: string | null;
}

/** Whether this server accepts `identity_check` (issue 11); decided once, on the first clip. */
let identityCheckSupported: boolean | undefined;

async function createInterview(
  app: AppServer,
  candidateHash: string,
): Promise<{ id: string; candidateUrl: string; identityCheck: boolean }> {
  const post = (body: object): Promise<Response> =>
    fetch(`${app.url}/api/interviews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${E2E_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  if (identityCheckSupported !== false) {
    const res = await post({ candidate_hash: candidateHash, identity_check: true });
    if (res.status === 201) {
      identityCheckSupported = true;
      const iv = CreateInterviewResponseSchema.parse(await res.json());
      return { id: iv.id, candidateUrl: iv.candidate_url, identityCheck: true };
    }
    // A server without the option refuses the unknown field (400); try without it.
    await res.body?.cancel();
    identityCheckSupported = false;
  }
  const res = await post({ candidate_hash: candidateHash });
  if (res.status !== 201)
    throw new Error(`create interview: HTTP ${res.status} ${await res.text()}`);
  const iv = CreateInterviewResponseSchema.parse(await res.json());
  return { id: iv.id, candidateUrl: iv.candidate_url, identityCheck: false };
}

/** Pre-join as a candidate would: consent when asked, then Join once the camera is up. */
async function joinAsCandidate(
  page: Page,
  url: string,
  identityCheck: boolean,
  progress: (line: string) => void,
): Promise<void> {
  await page.goto(url);
  const button = page.getByRole('button', { name: 'Join interview' });
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  if (identityCheck) {
    const consent = page.getByRole('checkbox', { name: /^I agree to the identity check/ });
    try {
      await consent.waitFor({ state: 'visible', timeout: 15_000 });
      await consent.check();
    } catch {
      // A server that takes the option before its page asks for consent: join as is.
      progress('identity check on, but the page shows no consent checkbox; joining without it');
    }
  }
  await waitFor(() => button.isEnabled(), 30_000, 'the Join interview button to be enabled');
  await button.click();
}

/**
 * Seconds of the file the camera has delivered on the latest stream: from the track's frame
 * counter when the browser has one, else from the capture timestamps (which overcount when the
 * camera stalls). Null before the first frame.
 */
async function clipSecondsDelivered(page: Page, fps: number): Promise<number | null> {
  const raw: unknown = await page.evaluate(
    '(() => { const o = window.__evalCameraOpens ?? []; const l = o[o.length - 1]; if (!l || l.frames.length === 0) return null; const a = l.frames[0], b = l.frames[l.frames.length - 1]; return [a[1], b[1], b[3]]; })()',
  );
  const span = z.tuple([z.number(), z.number(), z.number()]).nullable().parse(raw);
  if (span === null) return null;
  const [firstUs, lastUs, total] = span;
  return total > 0 ? total / fps : (lastUs - firstUs) / 1e6 + 1 / fps;
}

async function statusLine(page: Page): Promise<string | null> {
  const texts = await page.getByRole('status').allTextContents();
  return texts.length === 0 ? null : texts.map((t) => t.trim()).join(' | ');
}

/**
 * One clip through the whole product: a candidate Chromium with the clip as its camera joins a
 * fresh interview, stays for the clip's duration (counted in camera frames, see clip-clock.ts),
 * then the interview is completed through the API and its final record read back.
 */
export async function runClip(env: EvalEnvironment, options: ClipRunOptions): Promise<ClipRun> {
  const { name, y4m, durationS, fps, progress } = options;
  const iv = await createInterview(env.app, `eval-${name.replace(/_/g, '-')}`);
  const chromium = await launchChromium({ fakeVideo: y4m });
  options.onChromium(chromium);
  try {
    const page = await chromium.newPage();
    await installCameraProbe(page);
    await joinAsCandidate(page, iv.candidateUrl, iv.identityCheck, progress);
    progress(`joined${iv.identityCheck ? ' (identity check on)' : ''}; playing ${durationS} s`);
    // The clip ends when the camera has delivered durationS seconds of file frames.
    let statusAtEnd: string | null = null;
    await waitFor(
      async () => {
        const clipS = await clipSecondsDelivered(page, fps);
        if (clipS === null) return false;
        if (clipS >= durationS - 2 && statusAtEnd === null) statusAtEnd = await statusLine(page);
        return clipS >= durationS;
      },
      (durationS + 120) * 1000,
      `${durationS} s of camera frames`,
      200,
    );
    const res = await fetch(`${env.app.url}/api/interviews/${iv.id}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${E2E_API_KEY}` },
    });
    if (!res.ok) throw new Error(`complete interview: HTTP ${res.status} ${await res.text()}`);
    await res.body?.cancel();
    const cameraOpens = await readCameraOpens(page);
    const record = await env.app.readRecord(iv.id);
    return {
      interviewId: iv.id,
      identityCheck: iv.identityCheck,
      cameraOpens,
      record,
      statusAtEnd,
    };
  } finally {
    options.onChromium(null);
    await chromium.close();
  }
}
