import { describe, expect, it } from 'vitest';
import type { FrameFeatures } from '../../../shared/tracking/frame-features';
import type { AvailableFrame, FrameSource } from './frame-source';
import { startFramePump } from './frame-pump';
import type { FrameImage } from './worker-protocol';

/** A source the test pushes frames into, and images that record whether they were closed. */
function manualSource() {
  let deliver: ((frame: AvailableFrame) => void) | null = null;
  const released: number[] = [];
  const source: FrameSource = {
    kind: 'video-element',
    start(onFrame) {
      deliver = onFrame;
      return () => {
        deliver = null;
      };
    },
  };
  const push = (timestampMs: number, readable = true): void => {
    deliver?.({
      timestampMs,
      take: () =>
        Promise.resolve(readable ? ({ close: () => undefined } as unknown as FrameImage) : null),
      release: () => released.push(timestampMs),
    });
  };
  return { source, push, released };
}

function features(timestampMs: number): FrameFeatures {
  return {
    timestampMs,
    faceCount: 1,
    main: null,
    quality: { luminance: 100, sharpness: 100, faceLuminance: null },
    inferenceMs: 30,
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('frame pump', () => {
  it('keeps one frame in flight and drops (not queues) frames due meanwhile', async () => {
    const { source, push, released } = manualSource();
    const answers: ((f: FrameFeatures) => void)[] = [];
    const offers: [number, boolean][] = [];
    const analysed: number[] = [];
    let now = 0;
    const pump = startFramePump({
      source,
      targetFps: 10,
      nowMs: () => now,
      analyse: (_image, timestampMs) =>
        new Promise((resolve) => answers.push(() => resolve(features(timestampMs)))),
      onOffer: (t, analysing) => offers.push([t, analysing]),
      onFeatures: (f) => analysed.push(f.timestampMs),
    });
    push(0);
    await flush();
    now = 100;
    push(100); // due, but frame 0 is still in the worker: dropped
    now = 150;
    push(150); // not due yet: neither offered nor analysed
    expect(pump.inFlightTimestampMs()).toBe(0);
    answers.shift()?.(features(0));
    await flush();
    now = 200;
    push(200);
    await flush();
    answers.shift()?.(features(200));
    await flush();
    expect(offers).toEqual([
      [0, true],
      [100, false],
      [200, true],
    ]);
    expect(analysed).toEqual([0, 200]);
    expect(released.sort((a, b) => a - b)).toEqual([0, 100, 150, 200]);
    expect(pump.totals()).toEqual({ offered: 3, analysed: 2, droppedBusy: 1, failed: 0 });
    pump.stop();
  });

  it('reports unreadable frames and analyser failures with their stage, and goes on', async () => {
    const { source, push } = manualSource();
    const errors: string[] = [];
    let now = 0;
    const pump = startFramePump({
      source,
      targetFps: 10,
      nowMs: () => now,
      analyse: () => Promise.reject(new Error('wasm abort')),
      onOffer: () => undefined,
      onFeatures: () => undefined,
      onFrameError: (_error, stage) => errors.push(stage),
    });
    push(0, false);
    await flush();
    now = 100;
    push(100);
    await flush();
    expect(errors).toEqual(['read', 'analyse']);
    expect(pump.totals()).toMatchObject({ offered: 2, analysed: 0, failed: 2 });
    pump.stop();
  });
});
