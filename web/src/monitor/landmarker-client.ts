import type { FrameFeatures } from '../../../shared/tracking/frame-features';
import { AnalysisUnavailableError } from './errors';
import { monitorLog } from './monitor-log';
import {
  parseFromWorkerMessage,
  type Delegate,
  type FrameImage,
  type FromWorkerMessage,
  type LandmarkerInit,
  type ToWorkerMessage,
} from './worker-protocol';

/** Up to four faces: enough to see "more than one person" and to pick the largest as candidate. */
export const DEFAULT_NUM_FACES = 4;

/** How long loading (download + wasm + graph) may take before analysis is declared unavailable. */
export const DEFAULT_LOAD_TIMEOUT_MS = 120_000;

export interface LandmarkerReady {
  downloadMs: number;
  initMs: number;
  modelBytes: number;
  delegate: Delegate;
}

/** The page's handle on the landmarker worker. */
export interface LandmarkerClient {
  /** Downloads the model and starts MediaPipe; rejects with AnalysisUnavailableError. */
  load(
    onProgress: (loadedBytes: number, totalBytes: number | null) => void,
  ): Promise<LandmarkerReady>;
  /** Analyses one frame; the image is transferred (closed, unusable here afterwards). */
  analyse(image: FrameImage, timestampMs: number): Promise<FrameFeatures>;
  /** Called once if the worker dies after loading; returns the unsubscribe. */
  onCrash(listener: (error: AnalysisUnavailableError) => void): () => void;
  dispose(): void;
}

/** The structural part of Worker the client uses, so tests can hand in a fake. */
export interface WorkerLike {
  postMessage(message: ToWorkerMessage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** Vite bundles the worker as its own ES module chunk because of this exact `new URL` form. */
export function createLandmarkerWorker(): WorkerLike {
  return new Worker(new URL('./landmarker.worker.ts', import.meta.url), {
    type: 'module',
    name: 'face-landmarker',
  });
}

interface Pending {
  resolve(features: FrameFeatures): void;
  reject(error: Error): void;
}

export function createLandmarkerClient(
  init: LandmarkerInit,
  options: { createWorker?: () => WorkerLike; loadTimeoutMs?: number } = {},
): LandmarkerClient {
  const worker = (options.createWorker ?? createLandmarkerWorker)();
  const loadTimeoutMs = options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const pending = new Map<number, Pending>();
  const crashListeners = new Set<(error: AnalysisUnavailableError) => void>();
  let nextFrameId = 1;
  let disposed = false;
  let ready = false;
  let loadHandlers: {
    progress(loadedBytes: number, totalBytes: number | null): void;
    ready(info: LandmarkerReady): void;
    fail(error: AnalysisUnavailableError): void;
  } | null = null;

  function failAll(error: AnalysisUnavailableError): void {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
    if (loadHandlers !== null) {
      loadHandlers.fail(error);
      return;
    }
    if (ready) {
      ready = false;
      for (const listener of crashListeners) listener(error);
    }
  }

  function dispatch(message: FromWorkerMessage): void {
    switch (message.type) {
      case 'progress':
        loadHandlers?.progress(message.loadedBytes, message.totalBytes);
        return;
      case 'ready':
        ready = true;
        loadHandlers?.ready({
          downloadMs: message.downloadMs,
          initMs: message.initMs,
          modelBytes: message.modelBytes,
          delegate: message.delegate,
        });
        return;
      case 'init-failed':
        loadHandlers?.fail(new AnalysisUnavailableError(message.reason, message.message));
        return;
      case 'features': {
        const entry = pending.get(message.frameId);
        pending.delete(message.frameId);
        entry?.resolve(message.features);
        return;
      }
      case 'frame-failed': {
        const entry = pending.get(message.frameId);
        pending.delete(message.frameId);
        entry?.reject(new Error(`frame analysis failed: ${message.message}`));
        return;
      }
    }
  }

  worker.addEventListener('message', (event) => {
    const message = parseFromWorkerMessage(event.data);
    if (message === null) {
      monitorLog.debug('ignored unknown message from the landmarker worker', { data: event.data });
      return;
    }
    dispatch(message);
  });
  worker.addEventListener('error', (event) => {
    // An uncaught error in the worker (wasm abort, failed module import): nothing after it works.
    event.preventDefault();
    failAll(
      new AnalysisUnavailableError(
        loadHandlers !== null ? 'model_init' : 'worker_crashed',
        `the analysis worker stopped: ${event.message || 'script error'}`,
      ),
    );
  });

  return {
    load(onProgress) {
      if (disposed) return Promise.reject(new Error('landmarker disposed'));
      return new Promise<LandmarkerReady>((resolve, reject) => {
        const timer = setTimeout(() => {
          loadHandlers?.fail(
            new AnalysisUnavailableError(
              'model_init',
              `the face model did not load within ${Math.round(loadTimeoutMs / 1000)} s`,
            ),
          );
        }, loadTimeoutMs);
        const settle = (): void => {
          clearTimeout(timer);
          loadHandlers = null;
        };
        loadHandlers = {
          progress: onProgress,
          ready: (info) => {
            settle();
            resolve(info);
          },
          fail: (error) => {
            settle();
            reject(error);
          },
        };
        worker.postMessage({ type: 'init', ...init });
      });
    },
    analyse(image, timestampMs) {
      if (disposed || !ready) {
        image.close();
        return Promise.reject(new Error('landmarker not ready'));
      }
      const frameId = nextFrameId;
      nextFrameId += 1;
      return new Promise<FrameFeatures>((resolve, reject) => {
        pending.set(frameId, { resolve, reject });
        worker.postMessage({ type: 'frame', frameId, image, timestampMs }, [image]);
      });
    },
    onCrash(listener) {
      crashListeners.add(listener);
      return () => {
        crashListeners.delete(listener);
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      ready = false;
      for (const entry of pending.values()) entry.reject(new Error('landmarker disposed'));
      pending.clear();
      loadHandlers?.fail(new AnalysisUnavailableError('model_init', 'stopped while loading'));
      crashListeners.clear();
      worker.postMessage({ type: 'dispose' });
      // The worker closes itself after releasing MediaPipe; terminate is the backstop.
      setTimeout(() => worker.terminate(), 1000);
    },
  };
}
