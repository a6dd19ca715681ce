import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { IdentityEmission } from '../../../../shared/detection/identity-continuity';
import { startIdentityMonitor, type IdentityWorkerLike } from './identity-monitor';
import type { IdentityFromWorker, IdentityToWorker } from './identity-protocol';

/** A worker double: records what the page posts and lets the test answer. */
function fakeWorker() {
  const posted: IdentityToWorker[] = [];
  const listeners: ((event: MessageEvent<unknown>) => void)[] = [];
  let terminated = false;
  const worker: IdentityWorkerLike = {
    postMessage: (message) => posted.push(message),
    addEventListener: (type: string, listener: (event: never) => void) => {
      if (type === 'message') listeners.push(listener as (event: MessageEvent<unknown>) => void);
    },
    terminate: () => {
      terminated = true;
    },
  };
  return {
    worker,
    posted,
    answer(message: IdentityFromWorker) {
      for (const l of listeners) l({ data: message } as MessageEvent<unknown>);
    },
    lastFrameId(): number {
      const frames = posted.filter((m) => m.type === 'frame');
      const last = frames.at(-1);
      return last?.type === 'frame' ? last.frameId : -1;
    },
    get terminated() {
      return terminated;
    },
  };
}

const frontal = (atMs: number, similarity: number) => ({
  atMs,
  faceCount: 1,
  face: { yawDeg: 1, pitchDeg: 2, luma: 120, widthRatio: 0.3, similarity },
});

describe('identity monitor (page side)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start() {
    const w = fakeWorker();
    const emitted: IdentityEmission[] = [];
    let id = 0;
    const monitor = startIdentityMonitor({
      video: null,
      nowMs: () => Date.now(),
      newEventId: () => `evt${String(id++).padStart(4, '0')}`,
      emit: (e) => emitted.push(...e),
      createWorker: () => w.worker,
      capture: () => ({ close: () => undefined }) as unknown as ImageBitmap,
    });
    return { w, emitted, monitor };
  }

  test('loads from our origin, enrols, then a lasting mismatch raises identity_changed; only scalars flow', async () => {
    const { w, emitted, monitor } = start();
    expect(w.posted[0]).toEqual({
      type: 'init',
      modelBasePath: '/models/human/',
      wasmPath: '/models/human/wasm/',
    });
    expect(monitor.phase()).toBe('loading');
    w.answer({ type: 'ready', loadMs: 100, backend: 'wasm' });
    await vi.advanceTimersByTimeAsync(0);
    expect(w.lastFrameId()).toBe(1);
    w.answer({ type: 'enrolled', frameId: 1, frames: 2, inferenceMs: 300 });
    expect(monitor.phase()).toBe('checking');

    const similarities = [0.95, 0.3, 0.28];
    for (const s of similarities) {
      await vi.advanceTimersByTimeAsync(2_000);
      w.answer({
        type: 'compared',
        frameId: w.lastFrameId(),
        inferenceMs: 300,
        comparison: frontal(Date.now(), s),
      });
    }
    expect(emitted.map((e) => `${e.kind}:${e.phase}`)).toEqual(['identity_changed:start']);
    expect(monitor.takeSimilarity()).toBe(0.28);
    expect(monitor.takeSimilarity()).toBeNull();
    // Everything the page posted is an init, frames and nothing else: no descriptor goes in.
    expect(new Set(w.posted.map((m) => m.type))).toEqual(new Set(['init', 'frame']));

    monitor.stop(Date.now());
    expect(emitted.at(-1)).toMatchObject({ kind: 'identity_changed', phase: 'end' });
    expect(w.posted.at(-1)).toEqual({ type: 'dispose' });
    expect(w.terminated).toBe(true);
  });

  test('a model that cannot start is one identity_uncertain measurement until the end', () => {
    const { w, emitted, monitor } = start();
    w.answer({ type: 'init-failed', message: 'no model' });
    expect(monitor.phase()).toBe('unavailable');
    monitor.stop(Date.now() + 5_000);
    expect(emitted.map((e) => `${e.kind}:${e.phase}`)).toEqual([
      'identity_uncertain:start',
      'identity_uncertain:end',
    ]);
    expect(emitted[1]?.durationMs).toBe(5_000);
  });

  test('turned-head comparisons send no similarity', async () => {
    const { w, monitor } = start();
    w.answer({ type: 'ready', loadMs: 100, backend: 'wasm' });
    await vi.advanceTimersByTimeAsync(0);
    w.answer({ type: 'enrolled', frameId: 1, frames: 2, inferenceMs: 300 });
    await vi.advanceTimersByTimeAsync(2_000);
    w.answer({
      type: 'compared',
      frameId: w.lastFrameId(),
      inferenceMs: 300,
      comparison: { ...frontal(Date.now(), 0.4), face: { ...frontal(0, 0.4).face, yawDeg: 50 } },
    });
    expect(monitor.takeSimilarity()).toBeNull();
    monitor.stop(Date.now());
  });
});
