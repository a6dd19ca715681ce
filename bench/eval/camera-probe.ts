import type { Page } from 'playwright-core';
import { z } from 'zod';
import type { ProbedFrame } from './clip-clock';

/**
 * Page init script: wraps navigator.mediaDevices.getUserMedia so that every camera stream the
 * page opens gets a second reader (a MediaStreamTrackProcessor on the same track, not a clone: a
 * clone would keep the camera open after the product stops its track) that notes when each frame
 * arrives (Date.now(), the clock the product stamps its events with) and its capture timestamp.
 *
 * The candidate page opens the camera once, in the pre-join preview (LiveKit's
 * createLocalTracks), and publishes and analyses those same tracks after Join; so clip time 0 is
 * the first frame of that stream. If the page ever reopened the camera, the fake camera would
 * restart the file: every open is recorded, and the evaluation uses the last one and says so.
 *
 * With each frame it also notes the track's `stats.totalFrames` (frames the camera has handed the
 * track so far, whether or not this reader got them) and the mean luma of a thumbnail, which
 * content-check.ts compares with the file's frames.
 */
export const CAMERA_PROBE_SCRIPT = `
(() => {
  const devices = navigator.mediaDevices;
  if (!devices || typeof devices.getUserMedia !== 'function') return;
  const original = devices.getUserMedia.bind(devices);
  const opens = [];
  window.__evalCameraOpens = opens;
  devices.getUserMedia = async (constraints) => {
    const requestedAtMs = Date.now();
    const stream = await original(constraints);
    const track = stream.getVideoTracks()[0];
    if (track && typeof MediaStreamTrackProcessor === 'function') {
      const open = { trackId: track.id, requestedAtMs, resolvedAtMs: Date.now(), frames: [], endedAtMs: null };
      opens.push(open);
      const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 30 }).readable.getReader();
      // Mean luma of a 32x24 thumbnail: a content signature to check the alignment against the file.
      const thumb = new OffscreenCanvas(32, 24).getContext('2d', { willReadFrequently: true });
      const luma = (frame) => {
        try {
          thumb.drawImage(frame, 0, 0, 32, 24);
          const px = thumb.getImageData(0, 0, 32, 24).data;
          let sum = 0;
          for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
          return Math.round((sum / (px.length / 4)) * 100) / 100;
        } catch { return -1; }
      };
      (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const receivedAtMs = Date.now();
          // Frames the track has had from the camera so far, including any this reader missed.
          const stats = track.stats;
          const total = stats && typeof stats.totalFrames === 'number' ? stats.totalFrames : -1;
          if (open.frames.length < 100000) open.frames.push([receivedAtMs, value.timestamp, luma(value), total]);
          value.close();
        }
      })().catch(() => undefined).finally(() => { open.endedAtMs = Date.now(); });
    }
    return stream;
  };
})();
`;

const CameraOpenSchema = z.object({
  trackId: z.string(),
  requestedAtMs: z.number(),
  resolvedAtMs: z.number(),
  frames: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
  endedAtMs: z.number().nullable(),
});

export interface CameraOpen {
  trackId: string;
  requestedAtMs: number;
  resolvedAtMs: number;
  frames: ProbedFrame[];
  /** Mean luma (0-255) of each frame's thumbnail, -1 if unreadable: a content signature. */
  lumas: number[];
  endedAtMs: number | null;
}

export async function installCameraProbe(page: Page): Promise<void> {
  await page.addInitScript(CAMERA_PROBE_SCRIPT);
}

/** Every camera stream the page opened so far, oldest first. */
export async function readCameraOpens(page: Page): Promise<CameraOpen[]> {
  const raw: unknown = await page.evaluate('window.__evalCameraOpens ?? []');
  return z
    .array(CameraOpenSchema)
    .parse(raw)
    .map((o) => ({
      ...o,
      frames: o.frames.map(([epochMs, timestampUs, , total]) => ({
        epochMs,
        timestampUs,
        ...(total > 0 ? { trackTotalFrames: total } : {}),
      })),
      lumas: o.frames.map(([, , luma]) => luma),
    }));
}

/** Epoch of the first frame of the latest camera stream, once it has one. */
export async function firstFrameEpochMs(page: Page): Promise<number | null> {
  const raw: unknown = await page.evaluate(
    '(() => { const o = window.__evalCameraOpens ?? []; const l = o[o.length - 1]; return l && l.frames.length > 0 ? l.frames[0][0] : null; })()',
  );
  return z.number().nullable().parse(raw);
}
