import { DEFAULT_POLICY } from '../../shared/policy/policy';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { StoredSample } from '../../shared/record/session-record';
import { startAppServer, type AppServer } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { ASTRONAUT_MOVING, type ClipName } from './support/clips';
import { joinInterview } from './support/interview-pages';
import { waitFor } from './support/wait-for';

/**
 * On-device tracking in real headless Chromium: MediaPipe Face Landmarker in the candidate's
 * worker, fake cameras with known content, samples as the real recorder stored them.
 */
describe('tracking with fake cameras', () => {
  let app: AppServer;
  const browsers: ChromiumSession[] = [];

  beforeAll(async () => {
    app = await startAppServer();
  });
  afterAll(async () => {
    await Promise.allSettled(browsers.map((b) => b.close()));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed before starting it
    await app?.close();
  });

  /** Joins as the candidate with `clip` as camera and returns the analysed samples once there are `count`. */
  async function samplesFor(
    clip: ClipName,
    count: number,
    calibrated = true,
  ): Promise<StoredSample[]> {
    const browser = await launchChromium({ fakeVideo: inject('clips')[clip] });
    browsers.push(browser);
    const iv = await app.createInterview(`e2e-tracking-${clip}`);
    const page = await browser.newPage();
    await joinInterview(page, iv.candidate_url);
    const samples = await waitFor(
      () => {
        const record = app.server.interviews.isLive(iv.id)
          ? app.server.interviews.liveState(iv.id)
          : null;
        if (!record) return undefined;
        // Read what the recorder stored; skip windows before the model ran and, where a face can
        // calibrate, the calibration seconds (without a single face calibration never completes).
        return app.server.interviews
          .record(iv.id)
          .then((r) => r.samples.filter((s) => s.calibrated === calibrated && s.framesAnalysed > 0))
          .then((s) => (s.length >= count ? s : undefined));
      },
      60_000,
      `${count} analysed samples from the ${clip} camera`,
      250,
    );
    await browser.close();
    return samples;
  }

  const mean = (values: readonly (number | null)[]): number => {
    const v = values.filter((x): x is number => x !== null);
    return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
  };

  test('a still frontal face: one face, near-zero pose, high focus, small samples', async () => {
    const samples = await samplesFor('astronaut', 4);
    for (const s of samples) {
      expect(s.faceCountMax).toBe(1);
      expect(s.oneFaceRatio).toBeGreaterThan(0.9);
      expect(Math.abs(s.yawDeg ?? 99)).toBeLessThan(5);
      expect(Math.abs(s.pitchDeg ?? 99)).toBeLessThan(5);
      expect(s.focusConsistency).toBeGreaterThan(0.8);
      expect(s.qualityIssue).toBe('none');
      // Well under 1 KiB on the wire, and nothing but scalars.
      const { receivedAtMs: _r, ...wire } = s;
      expect(JSON.stringify(wire).length).toBeLessThan(1024);
    }
    expect(mean(samples.map((s) => s.headSpeedDegPerS))).toBeLessThan(3);
    expect(mean(samples.map((s) => s.analysedFps))).toBeGreaterThan(3);
  });

  test('an empty scene: no face, measured (not mistaken for poor light)', async () => {
    const samples = await samplesFor('empty', 3, false);
    for (const s of samples) {
      expect(s.faceCountMax).toBe(0);
      expect(s.noFaceRatio).toBe(1);
      expect(s.qualityIssue).toBe('none');
      expect(s.focusConsistency).toBe(0);
    }
  });

  test('a dark room where the face is still found: measured, not switched off', async () => {
    // The light switch must not turn the monitoring off: a face MediaPipe finds is measured
    // however dark the picture (its mean luminance here is 31 of 255, below minLuminance).
    const samples = await samplesFor('dark', 3, false);
    for (const s of samples) {
      expect(s.faceCountMax).toBe(1);
      expect(s.luminance ?? 255).toBeLessThan(DEFAULT_POLICY.tracking.minLuminance);
      expect(s.qualityIssue).toBe('none');
      expect(s.coverage).toBeGreaterThan(0);
    }
  });

  test('two different people side by side: two faces', async () => {
    const samples = await samplesFor('two-people', 3, false);
    for (const s of samples) {
      expect(s.faceCountMax).toBe(2);
      expect(s.multiFaceRatio).toBeGreaterThan(0.8);
    }
  });

  test('a face shifted and rotated over time: head movement matches the motion', async () => {
    const samples = await samplesFor('astronaut-moving', 6);
    // Roll follows A·sin(2πt/T); its mean absolute angular speed is 4A/T.
    const expectedDegPerS = (4 * ASTRONAUT_MOVING.rollAmplitudeDeg) / ASTRONAUT_MOVING.periodS;
    const measured = mean(samples.map((s) => s.headSpeedDegPerS));
    expect(measured).toBeGreaterThan(expectedDegPerS * 0.5);
    expect(measured).toBeLessThan(expectedDegPerS * 2.5);
    expect(Math.max(...samples.map((s) => Math.abs(s.rollDeg ?? 0)))).toBeGreaterThan(4);
  });
});
