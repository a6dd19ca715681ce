import type { FrameFeatures } from '../../../shared/tracking/frame-features';

/**
 * Messages between the page and `landmarker.worker.ts`. The worker owns MediaPipe; the page only
 * ever receives `FrameFeatures` (scalar facts about the frame), never landmarks or pixels, so
 * nothing identifying leaves the worker even inside the page.
 *
 * Both sides check what they receive with the guards below and log anything else once at debug
 * level: a message from a stale worker build or a browser extension must not crash the pump.
 */

export type Delegate = 'CPU' | 'GPU';

/**
 * One camera frame handed to the worker (transferred, closed there). A VideoFrame where the
 * browser has WebCodecs: it wraps the camera's own buffer, no copy. An ImageBitmap otherwise.
 * Measured in headless Chromium 156: each createImageBitmap of a 640x480 camera frame grew the
 * renderer's resident memory by about 1.1 MB that neither close() nor a GC gave back (+340 MB
 * after 30 s at 10/s); transferring the VideoFrames instead stayed flat.
 */
export type FrameImage = VideoFrame | ImageBitmap;

export function isFrameImage(value: unknown): value is FrameImage {
  return (
    (typeof VideoFrame !== 'undefined' && value instanceof VideoFrame) ||
    (typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap)
  );
}

/** Displayed size of a frame image in pixels. */
export function frameImageSize(image: FrameImage): { width: number; height: number } {
  return 'displayWidth' in image
    ? { width: image.displayWidth, height: image.displayHeight }
    : { width: image.width, height: image.height };
}

export interface LandmarkerInit {
  /** Same-origin URL of `face_landmarker.task`; fetched by the worker to report progress. */
  modelUrl: string;
  /** Same-origin folder holding `vision_wasm_module_internal.{js,wasm}`. */
  wasmBaseUrl: string;
  delegate: Delegate;
  numFaces: number;
  blinkThreshold: number;
}

export type ToWorkerMessage =
  | ({ type: 'init' } & LandmarkerInit)
  | {
      type: 'frame';
      frameId: number;
      /** Transferred: the worker closes it. */
      image: FrameImage;
      /** Candidate clock (epoch ms) of the frame; copied into FrameFeatures. */
      timestampMs: number;
    }
  | { type: 'dispose' };

export type LoadFailureReason = 'model_download' | 'model_init';

export type FromWorkerMessage =
  | { type: 'progress'; loadedBytes: number; totalBytes: number | null }
  | { type: 'ready'; downloadMs: number; initMs: number; modelBytes: number; delegate: Delegate }
  | { type: 'init-failed'; reason: LoadFailureReason; message: string }
  | { type: 'features'; frameId: number; features: FrameFeatures }
  | { type: 'frame-failed'; frameId: number; message: string };

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isDelegate(value: unknown): value is Delegate {
  return value === 'CPU' || value === 'GPU';
}

/** The message the worker should act on, or null (caller logs it) for anything else. */
export function parseToWorkerMessage(data: unknown): ToWorkerMessage | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'init':
      return typeof data.modelUrl === 'string' &&
        typeof data.wasmBaseUrl === 'string' &&
        isDelegate(data.delegate) &&
        isFiniteNumber(data.numFaces) &&
        isFiniteNumber(data.blinkThreshold)
        ? (data as ToWorkerMessage)
        : null;
    case 'frame':
      return isFiniteNumber(data.frameId) &&
        isFiniteNumber(data.timestampMs) &&
        isFrameImage(data.image)
        ? (data as ToWorkerMessage)
        : null;
    case 'dispose':
      return { type: 'dispose' };
    default:
      return null;
  }
}

/** The message the page should act on, or null (caller logs it) for anything else. */
export function parseFromWorkerMessage(data: unknown): FromWorkerMessage | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'progress':
      return isFiniteNumber(data.loadedBytes) &&
        (data.totalBytes === null || isFiniteNumber(data.totalBytes))
        ? (data as FromWorkerMessage)
        : null;
    case 'ready':
      return isFiniteNumber(data.downloadMs) &&
        isFiniteNumber(data.initMs) &&
        isDelegate(data.delegate)
        ? (data as FromWorkerMessage)
        : null;
    case 'init-failed':
      return (data.reason === 'model_download' || data.reason === 'model_init') &&
        typeof data.message === 'string'
        ? (data as FromWorkerMessage)
        : null;
    case 'features':
      return isFiniteNumber(data.frameId) && isFrameFeatures(data.features)
        ? (data as FromWorkerMessage)
        : null;
    case 'frame-failed':
      return isFiniteNumber(data.frameId) && typeof data.message === 'string'
        ? (data as FromWorkerMessage)
        : null;
    default:
      return null;
  }
}

/** Shallow check: the worker is our own code, so the shape is trusted past its top level. */
function isFrameFeatures(value: unknown): value is FrameFeatures {
  return (
    isObject(value) &&
    isFiniteNumber(value.timestampMs) &&
    isFiniteNumber(value.faceCount) &&
    isFiniteNumber(value.inferenceMs) &&
    isObject(value.quality) &&
    (value.main === null || isObject(value.main))
  );
}
