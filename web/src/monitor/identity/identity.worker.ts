import {
  cosineSimilarity,
  DEFAULT_IDENTITY_OPTIONS,
} from '../../../../shared/detection/identity-continuity';
import {
  backendInUse,
  createFaceDescriber,
  type FaceDescriber,
  type IdentityBackend,
} from './face-describer';
import {
  parseIdentityToWorker,
  type IdentityFromWorker,
  type IdentityToWorker,
} from './identity-protocol';

/**
 * The identity check's worker. It owns the face describer and the enrolled descriptor, which
 * exist only in this worker's memory: never posted, never stored, gone when the page terminates
 * the worker (leaving the page, stopping the monitor). It answers each frame with scalars only.
 *
 * Enrolment: the mean descriptor of the first ENROL_FRAMES frames showing exactly one frontal,
 * big-enough, lit face (the candidate is calibrating: looking at the screen). Recalibration does
 * not re-enrol, so a new person cannot make themselves the reference by pressing a button.
 */

interface WorkerScope {
  postMessage(message: IdentityFromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  close(): void;
}
const scope = self as unknown as WorkerScope;

const ENROL_FRAMES = 2;
/** Enrolment wants a face nearly frontal in absolute terms (the comparison limits are relative). */
const ENROL_MAX_ABS_YAW_DEG = 20;
const ENROL_MAX_ABS_PITCH_DEG = 25;

let describer: FaceDescriber | null = null;
let enrolled: { descriptor: Float32Array; yawDeg: number; pitchDeg: number } | null = null;
const enrolment: { descriptor: Float32Array; yawDeg: number; pitchDeg: number }[] = [];
let canvas: OffscreenCanvas | null = null;

/**
 * TensorFlow.js's wasm backend (about 30 times faster than plain JavaScript here: 0.3 s instead
 * of 9 s a comparison) when the server has its binaries, else the `cpu` backend.
 */
async function chooseBackend(wasmPath: string): Promise<IdentityBackend> {
  if (typeof WebAssembly === 'undefined') return 'cpu';
  try {
    const response = await fetch(`${wasmPath}tfjs-backend-wasm-simd.wasm`, { method: 'HEAD' });
    return response.ok ? 'wasm' : 'cpu';
  } catch {
    return 'cpu';
  }
}

function post(message: IdentityFromWorker): void {
  scope.postMessage(message);
}

function toCanvas(image: VideoFrame | ImageBitmap): OffscreenCanvas {
  const width = 'displayWidth' in image ? image.displayWidth : image.width;
  const height = 'displayHeight' in image ? image.displayHeight : image.height;
  if (canvas?.width !== width || canvas.height !== height)
    canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('no 2d context in the worker');
  context.drawImage(image, 0, 0, width, height);
  return canvas;
}

function enrolReason(description: Awaited<ReturnType<FaceDescriber['describe']>>): string | null {
  const o = DEFAULT_IDENTITY_OPTIONS;
  const face = description.face;
  if (description.faceCount !== 1 || face === null) return `faces:${description.faceCount}`;
  if (
    Math.abs(face.yawDeg) > ENROL_MAX_ABS_YAW_DEG ||
    Math.abs(face.pitchDeg) > ENROL_MAX_ABS_PITCH_DEG
  )
    return 'turned';
  if (face.widthRatio < o.minFaceWidthRatio) return 'small';
  if (face.luma < o.minFaceLuma || face.luma > o.maxFaceLuma) return 'light';
  return null;
}

function mean(vectors: Float32Array[]): Float32Array {
  const out = new Float32Array(vectors[0]?.length ?? 0);
  for (const v of vectors)
    for (let i = 0; i < out.length; i += 1) out[i] = (out[i] ?? 0) + (v[i] ?? 0) / vectors.length;
  return out;
}

async function onFrame(message: Extract<IdentityToWorker, { type: 'frame' }>): Promise<void> {
  const { frameId, image, atMs } = message;
  try {
    if (describer === null) throw new Error('not initialised');
    let description;
    try {
      description = await describer.describe(toCanvas(image));
    } finally {
      image.close();
    }
    const { inferenceMs } = description;
    if (enrolled === null) {
      const reason = enrolReason(description);
      if (reason !== null || description.face === null) {
        post({ type: 'enrolling', frameId, reason: reason ?? 'no face', inferenceMs });
        return;
      }
      const { descriptor, yawDeg, pitchDeg } = description.face;
      enrolment.push({ descriptor, yawDeg, pitchDeg });
      if (enrolment.length < ENROL_FRAMES) {
        post({ type: 'enrolling', frameId, reason: 'more frames', inferenceMs });
        return;
      }
      enrolled = {
        descriptor: mean(enrolment.map((e) => e.descriptor)),
        yawDeg: enrolment.reduce((s, e) => s + e.yawDeg, 0) / enrolment.length,
        pitchDeg: enrolment.reduce((s, e) => s + e.pitchDeg, 0) / enrolment.length,
      };
      enrolment.length = 0;
      post({ type: 'enrolled', frameId, frames: ENROL_FRAMES, inferenceMs });
      return;
    }
    const face = description.face;
    post({
      type: 'compared',
      frameId,
      inferenceMs,
      comparison: {
        atMs,
        faceCount: description.faceCount,
        face:
          face === null
            ? null
            : {
                yawDeg: face.yawDeg - enrolled.yawDeg,
                pitchDeg: face.pitchDeg - enrolled.pitchDeg,
                luma: face.luma,
                widthRatio: face.widthRatio,
                similarity: cosineSimilarity(enrolled.descriptor, face.descriptor),
              },
      },
    });
  } catch (error) {
    post({
      type: 'frame-failed',
      frameId,
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

scope.addEventListener('message', (event) => {
  const message = parseIdentityToWorker(event.data);
  if (message === null) return;
  switch (message.type) {
    case 'init': {
      const startMs = performance.now();
      chooseBackend(message.wasmPath)
        .then((backend) =>
          createFaceDescriber({
            modelBasePath: message.modelBasePath,
            backend,
            wasmPath: message.wasmPath,
          }),
        )
        .then((created) => {
          describer = created;
          post({ type: 'ready', loadMs: performance.now() - startMs, backend: backendInUse });
        })
        .catch((error: unknown) => {
          post({
            type: 'init-failed',
            message: error instanceof Error ? error.message : String(error),
          });
        });
      break;
    }
    case 'frame':
      void onFrame(message);
      break;
    case 'dispose':
      describer?.dispose();
      describer = null;
      enrolled = null;
      scope.close();
      break;
  }
});
