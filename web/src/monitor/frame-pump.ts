import type { FrameFeatures } from '../../../shared/tracking/frame-features';
import { createFramePacer } from './frame-pacer';
import type { AvailableFrame, FrameSource } from './frame-source';
import type { FrameImage } from './worker-protocol';

/**
 * Feeds camera frames to the analyser at the target rate with at most ONE frame in flight.
 *
 * A frame due while the previous one is still being analysed is dropped, not queued: a queue
 * would only grow on a slow device and every answer would come later and later. Each due frame
 * is "offered" (reported through `onOffer`, analysed or not), each answer arrives through
 * `onFeatures`; the per-window counts (framesOffered / framesAnalysed) are the sample window's
 * business, so the pump keeps running totals only.
 */
export interface FramePumpOptions {
  source: FrameSource;
  /** Takes ownership of the image (transfers or closes it). */
  analyse: (image: FrameImage, timestampMs: number) => Promise<FrameFeatures>;
  /** policy.tracking.targetFps, or 'unlimited' to analyse as fast as the worker answers. */
  targetFps: number | 'unlimited';
  nowMs: () => number;
  /** A due frame: `analysing` true if it went to the analyser, false if dropped (busy). */
  onOffer: (timestampMs: number, analysing: boolean) => void;
  onFeatures: (features: FrameFeatures) => void;
  /**
   * One frame failed, the pump goes on. `read`: the frame could not be read (camera switching);
   * `analyse`: the analyser failed on it.
   */
  onFrameError?: (error: unknown, stage: 'read' | 'analyse') => void;
}

export interface FramePumpTotals {
  offered: number;
  analysed: number;
  /** Due frames dropped because the previous one was still being analysed. */
  droppedBusy: number;
  failed: number;
}

export interface FramePump {
  /** Capture time of the frame being analysed, if any: windows after it are not final yet. */
  inFlightTimestampMs(): number | null;
  totals(): FramePumpTotals;
  /** Changes the analysis rate from the next frame on (e.g. faster while the candidate answers). */
  setTargetFps(targetFps: number | 'unlimited'): void;
  stop(): void;
}

export function startFramePump(options: FramePumpOptions): FramePump {
  let pacer = createFramePacer(options.targetFps);
  const totals: FramePumpTotals = { offered: 0, analysed: 0, droppedBusy: 0, failed: 0 };
  let inFlight: { timestampMs: number } | null = null;
  let stopped = false;

  async function process(frame: AvailableFrame): Promise<void> {
    let stage: 'read' | 'analyse' = 'read';
    try {
      let image: FrameImage | null;
      try {
        image = await frame.take();
      } finally {
        frame.release();
      }
      if (image === null) throw new Error('the frame could not be read');
      if (stopped) {
        image.close();
        return;
      }
      stage = 'analyse';
      const features = await options.analyse(image, frame.timestampMs);
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop() may run during the await; TypeScript keeps the narrowing from above
      if (stopped) return;
      totals.analysed += 1;
      options.onFeatures(features);
    } catch (error) {
      if (stopped) return;
      totals.failed += 1;
      options.onFrameError?.(error, stage);
    } finally {
      inFlight = null;
    }
  }

  const stopSource = options.source.start((frame) => {
    if (stopped || !pacer.take(options.nowMs())) {
      frame.release();
      return;
    }
    totals.offered += 1;
    if (inFlight !== null) {
      totals.droppedBusy += 1;
      options.onOffer(frame.timestampMs, false);
      frame.release();
      return;
    }
    inFlight = { timestampMs: frame.timestampMs };
    options.onOffer(frame.timestampMs, true);
    void process(frame);
  });

  return {
    inFlightTimestampMs: () => inFlight?.timestampMs ?? null,
    totals: () => ({ ...totals }),
    setTargetFps(targetFps) {
      pacer = createFramePacer(targetFps);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      stopSource();
    },
  };
}
