import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { extractFrameFeatures } from '../../../shared/tracking/extract-frame-features';
import { rgbaToGray } from '../../../shared/tracking/image-quality';
import {
  frameImageSize,
  parseToWorkerMessage,
  type FrameImage,
  type FromWorkerMessage,
  type LandmarkerInit,
  type ToWorkerMessage,
} from './worker-protocol';

/**
 * The module worker that owns MediaPipe Face Landmarker. It receives one transferred frame
 * (VideoFrame or ImageBitmap) at a time, runs the landmarker on it, measures the image on a small
 * grey copy, closes the frame and answers with FrameFeatures only: landmarks and pixels never leave this worker.
 *
 * Loading MediaPipe in a MODULE worker (tasks-vision 1.1.0): the task runner loads its wasm glue
 * with `importScripts(url)`, which module workers expose but reject with a TypeError. 1.1.0
 * catches exactly that TypeError and falls back to `self.import(url)` if defined, else a dynamic
 * `import(url)`. The glue must then be an ES module that sets `globalThis.ModuleFactory`, which
 * is what the `vision_wasm_module_internal.js` variant does; `FilesetResolver.forVisionTasks(base,
 * true)` selects it (`useModule = true`; SIMD is assumed for modules). We define `self.import`
 * ourselves so the dynamic import is ours and the bundler cannot rewrite or pre-resolve the
 * library's own `import(url)`.
 */

interface WorkerScope {
  location: { href: string };
  postMessage(message: FromWorkerMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  close(): void;
  /** Hook MediaPipe's loader uses in module workers (see the file comment). */
  import?: (url: string) => Promise<unknown>;
}

const scope = self as unknown as WorkerScope;
scope.import = (url: string) => import(/* @vite-ignore */ url);

/** Width of the grey copy for image quality; the thresholds assume about 160x120. */
const GRAY_WIDTH_PX = 160;
/** Progress messages at most this often, so a fast download does not flood the page. */
const PROGRESS_INTERVAL_MS = 100;

let settings: LandmarkerInit | null = null;
let landmarker: FaceLandmarker | null = null;
/** MediaPipe's VIDEO mode needs strictly increasing timestamps; the page clock may step back. */
let lastVideoTimestampMs = 0;
let grayCanvas: OffscreenCanvas | null = null;
let grayContext: OffscreenCanvasRenderingContext2D | null = null;
let grayBuffer: Uint8Array | null = null;

function post(message: FromWorkerMessage): void {
  scope.postMessage(message);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return 'unknown error';
}

/**
 * The model and MediaPipe's WebAssembly (about 13 MB, most of the first load) download at once,
 * each with a streamed reader, and the page gets one progress figure for both: bytes of the sum
 * of their sizes. Without the wasm in it, a slow link sat at "100 %" while 13 MB still came in.
 */
class DownloadProgress {
  private readonly loaded = new Map<string, number>();
  private readonly total = new Map<string, number | null>();
  private lastPostMs = 0;

  expect(name: string, totalBytes: number | null): void {
    this.total.set(name, totalBytes);
    this.loaded.set(name, 0);
    this.post(true);
  }

  add(name: string, bytes: number, force = false): void {
    this.loaded.set(name, (this.loaded.get(name) ?? 0) + bytes);
    this.post(force);
  }

  private post(force: boolean): void {
    const nowMs = performance.now();
    if (!force && nowMs - this.lastPostMs < PROGRESS_INTERVAL_MS) return;
    this.lastPostMs = nowMs;
    let loadedBytes = 0;
    let totalBytes: number | null = 0;
    for (const [name, bytes] of this.loaded) {
      loadedBytes += bytes;
      const total = this.total.get(name) ?? null;
      totalBytes = totalBytes === null || total === null ? null : totalBytes + total;
    }
    post({ type: 'progress', loadedBytes, totalBytes });
  }
}

/** Downloads one file with a streamed reader, reporting its bytes to `progress`. */
async function download(
  url: string,
  name: string,
  progress: DownloadProgress,
): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${name} download failed: HTTP ${response.status}`);
  const header = response.headers.get('content-length');
  const totalBytes = header !== null && Number(header) > 0 ? Number(header) : null;
  progress.expect(name, totalBytes);
  if (response.body === null) {
    const whole = new Uint8Array(await response.arrayBuffer());
    progress.add(name, whole.byteLength, true);
    return whole;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loadedBytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loadedBytes += value.byteLength;
    progress.add(name, value.byteLength);
  }
  progress.add(name, 0, true);
  const bytes = new Uint8Array(loadedBytes);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function initialise(init: LandmarkerInit): Promise<void> {
  settings = init;
  const startMs = performance.now();
  const progress = new DownloadProgress();
  const wasmBase = new URL(init.wasmBaseUrl, scope.location.href).href.replace(/\/+$/, '');
  let fileset: Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;
  let model: Uint8Array;
  let wasmUrl: string | null = null;
  try {
    fileset = await FilesetResolver.forVisionTasks(wasmBase, true);
    const [modelBytes, wasmBytes]: [Uint8Array, Uint8Array<ArrayBuffer> | null] = await Promise.all(
      [
        download(new URL(init.modelUrl, scope.location.href).href, 'model', progress),
        // The wasm is optional here: if this download fails, MediaPipe fetches it itself below.
        download(fileset.wasmBinaryPath, 'wasm', progress).catch(() => null),
      ],
    );
    model = modelBytes;
    if (wasmBytes !== null) {
      // Same bytes, already here: MediaPipe instantiates them from a blob URL instead of
      // downloading them a second time.
      wasmUrl = URL.createObjectURL(new Blob([wasmBytes], { type: 'application/wasm' }));
    }
  } catch (error) {
    post({ type: 'init-failed', reason: 'model_download', message: errorMessage(error) });
    return;
  }
  const downloadedMs = performance.now();
  const create = (wasmBinaryPath: string) =>
    FaceLandmarker.createFromOptions(
      { ...fileset, wasmBinaryPath },
      {
        baseOptions: { modelAssetBuffer: model, delegate: init.delegate },
        runningMode: 'VIDEO',
        numFaces: init.numFaces,
        outputFaceBlendshapes: true,
        outputFacialTransformationMatrixes: true,
      },
    );
  try {
    try {
      landmarker = await create(wasmUrl ?? fileset.wasmBinaryPath);
    } catch (error) {
      if (wasmUrl === null) throw error;
      // A browser that refuses blob: wasm still gets the same-origin file.
      landmarker = await create(fileset.wasmBinaryPath);
    } finally {
      if (wasmUrl !== null) URL.revokeObjectURL(wasmUrl);
    }
  } catch (error) {
    post({ type: 'init-failed', reason: 'model_init', message: errorMessage(error) });
    return;
  }
  post({
    type: 'ready',
    downloadMs: downloadedMs - startMs,
    initMs: performance.now() - downloadedMs,
    modelBytes: model.byteLength,
    delegate: init.delegate,
  });
}

/** A ~160-pixel-wide grey copy of the frame, same orientation MediaPipe saw; null if unreadable. */
function grayCopy(image: FrameImage): { data: Uint8Array; width: number; height: number } | null {
  const size = frameImageSize(image);
  if (size.width === 0 || size.height === 0 || typeof OffscreenCanvas === 'undefined') return null;
  const width = GRAY_WIDTH_PX;
  const height = Math.max(1, Math.round((GRAY_WIDTH_PX * size.height) / size.width));
  if (grayCanvas === null || grayCanvas.width !== width || grayCanvas.height !== height) {
    grayCanvas = new OffscreenCanvas(width, height);
    grayContext = grayCanvas.getContext('2d', { willReadFrequently: true });
    grayBuffer = new Uint8Array(width * height);
  }
  if (grayContext === null || grayBuffer === null) return null;
  grayContext.drawImage(image, 0, 0, width, height);
  const rgba = grayContext.getImageData(0, 0, width, height).data;
  return { data: rgbaToGray(rgba, width, height, grayBuffer), width, height };
}

function analyse(message: Extract<ToWorkerMessage, { type: 'frame' }>): void {
  const { image, frameId, timestampMs } = message;
  try {
    if (landmarker === null || settings === null) {
      post({ type: 'frame-failed', frameId, message: 'landmarker not ready' });
      return;
    }
    const videoTimestampMs = Math.max(performance.now(), lastVideoTimestampMs + 1);
    lastVideoTimestampMs = videoTimestampMs;
    const startMs = performance.now();
    const result = landmarker.detectForVideo(image, videoTimestampMs);
    const inferenceMs = performance.now() - startMs;
    const size = frameImageSize(image);
    const gray = grayCopy(image);
    const features = extractFrameFeatures({
      output: result,
      gray,
      timestampMs,
      inferenceMs,
      blinkThreshold: settings.blinkThreshold,
      aspectRatio: size.width / size.height,
    });
    post({ type: 'features', frameId, features });
  } catch (error) {
    post({ type: 'frame-failed', frameId, message: errorMessage(error) });
  } finally {
    image.close();
  }
}

scope.addEventListener('message', (event) => {
  const message = parseToWorkerMessage(event.data);
  if (message === null) {
    console.debug('[landmarker.worker] ignored unknown message', event.data);
    return;
  }
  switch (message.type) {
    case 'init':
      if (settings !== null) {
        console.debug('[landmarker.worker] ignored a second init');
        return;
      }
      void initialise(message);
      return;
    case 'frame':
      analyse(message);
      return;
    case 'dispose':
      landmarker?.close();
      landmarker = null;
      scope.close();
      return;
  }
});
