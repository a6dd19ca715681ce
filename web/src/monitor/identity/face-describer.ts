import { Human, type Config, type FaceResult } from '@vladmandic/human';

/**
 * Face description for the identity check, on the device. Human (`@vladmandic/human`) finds the
 * face (BlazeFace) and aligns it (FaceMesh, which also gives the head's yaw and pitch); the
 * descriptor is the 1024-value `global_pooling/Mean` output of Human's `faceres` graph, run by us
 * rather than by Human. Human runs that graph for every output and reads its age and gender
 * heads; asking TensorFlow.js for the descriptor node alone prunes those heads, so no age or
 * gender is ever computed. Emotion, iris, body, hands, objects, gestures and segmentation are
 * off, and their models are never requested.
 *
 * Backend: TensorFlow.js `cpu` (plain JavaScript), because it needs no GPU and no extra wasm
 * files: it works in headless Chromium and on any device. It is slow (hundreds of ms a face),
 * which is why the identity check runs in its own worker every few seconds.
 */

const DESCRIPTOR_NODE = 'global_pooling/Mean';
const DESCRIPTOR_LENGTH = 1024;
/** Input side of the faceres graph (224x224 RGB, 0..255). */
const FACERES_INPUT_PX = 224;

/** What the describer learnt about the largest face in a frame. Never leaves the worker as is. */
export interface FaceDescription {
  faceCount: number;
  /** Null when no face was found. */
  face: {
    /** Face box width as a share of the frame width. */
    widthRatio: number;
    /** Head yaw and pitch from FaceMesh, degrees (absolute, not relative to a calibration). */
    yawDeg: number;
    pitchDeg: number;
    /** Mean luma of the aligned face crop, 0..255. */
    luma: number;
    /** Detector and mesh confidence, 0..1. */
    score: number;
    /** Unit-length descriptor (L2 normalised). */
    descriptor: Float32Array;
  } | null;
  inferenceMs: number;
}

/** The TensorFlow.js backend the last describer started with (diagnostics and the bench). */
export let backendInUse = '';

export interface FaceDescriber {
  describe(input: ImageBitmap | OffscreenCanvas | ImageData): Promise<FaceDescription>;
  dispose(): void;
}

function humanConfig(
  modelBasePath: string,
  backend: IdentityBackend,
  wasmPath: string,
): Partial<Config> {
  return {
    backend,
    modelBasePath,
    // Human's default points at a CDN; ours is same-origin (see static-routes).
    wasmPath,
    wasmPlatformFetch: false,
    debug: false,
    async: false,
    warmup: 'none',
    cacheModels: false,
    // Every frame is a new comparison a few seconds apart: no result caching between frames.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json',
        rotation: true,
        maxDetected: 3,
        minConfidence: 0.5,
        skipFrames: 0,
        skipTime: 0,
        // The aligned face crop, for our own descriptor pass.
        return: true,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      attention: { enabled: false },
      iris: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
  };
}

interface GraphModelLike {
  execute(input: unknown, outputs: string): unknown;
  dispose(): void;
}

const RAD_TO_DEG = 180 / Math.PI;

function faceArea(face: FaceResult): number {
  return Math.max(0, face.box[2]) * Math.max(0, face.box[3]);
}

export type IdentityBackend = 'wasm' | 'webgl' | 'cpu';

export async function createFaceDescriber(options: {
  modelBasePath: string;
  backend: IdentityBackend;
  /** Same-origin folder with TensorFlow.js's wasm binaries (the `wasm` backend only). */
  wasmPath?: string;
}): Promise<FaceDescriber> {
  const human = new Human(
    humanConfig(options.modelBasePath, options.backend, options.wasmPath ?? ''),
  );
  await human.load();
  // Human's tf namespace is typed `any`; the few calls below are narrowed by hand.
  const tf = human.tf as {
    loadGraphModel(url: string): Promise<GraphModelLike>;
    tidy<T>(fn: () => T): T;
    image: { resizeBilinear(t: unknown, size: [number, number]): unknown };
    mul(a: unknown, b: number): unknown;
    mean(t: unknown): { dataSync(): Float32Array };
    expandDims(t: unknown, axis: number): unknown;
    dispose(t: unknown): void;
    getBackend(): string;
  };
  // Human falls back silently when a backend cannot start; say which one really runs.
  backendInUse = tf.getBackend();
  const faceres = await tf.loadGraphModel(`${options.modelBasePath}faceres.json`);

  async function describe(
    input: ImageBitmap | OffscreenCanvas | ImageData,
  ): Promise<FaceDescription> {
    const startMs = performance.now();
    const result = await human.detect(input);
    const faces = result.face;
    try {
      const largest = faces.reduce<FaceResult | null>(
        (best, face) => (best === null || faceArea(face) > faceArea(best) ? face : best),
        null,
      );
      if (largest?.tensor === undefined) {
        return { faceCount: faces.length, face: null, inferenceMs: performance.now() - startMs };
      }
      const crop: unknown = largest.tensor;
      const luma = tf.tidy(() => tf.mean(tf.mul(crop, 255)).dataSync()[0] ?? 0);
      const output = tf.tidy(() => {
        const resized = tf.image.resizeBilinear(crop, [FACERES_INPUT_PX, FACERES_INPUT_PX]);
        const batch = tf.expandDims(tf.mul(resized, 255), 0);
        return faceres.execute(batch, DESCRIPTOR_NODE) as { dataSync(): Float32Array };
      });
      const raw = Float32Array.from(output.dataSync());
      tf.dispose(output);
      if (raw.length !== DESCRIPTOR_LENGTH) {
        throw new Error(`unexpected descriptor length ${raw.length}`);
      }
      const descriptor = normalise(raw);
      const angle = largest.rotation?.angle;
      const frameWidth = inputWidth(input);
      return {
        faceCount: faces.length,
        face: {
          widthRatio: frameWidth > 0 ? largest.box[2] / frameWidth : 0,
          yawDeg: (angle?.yaw ?? 0) * RAD_TO_DEG,
          pitchDeg: (angle?.pitch ?? 0) * RAD_TO_DEG,
          luma,
          score: largest.score,
          descriptor,
        },
        inferenceMs: performance.now() - startMs,
      };
    } finally {
      for (const face of faces) if (face.tensor !== undefined) tf.dispose(face.tensor);
    }
  }

  return {
    describe,
    dispose: () => {
      faceres.dispose();
    },
  };
}

function inputWidth(input: ImageBitmap | OffscreenCanvas | ImageData): number {
  return input.width;
}

/** Scales a vector to unit length (a zero vector stays zero). */
export function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm === 0) return vector;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i += 1) out[i] = (vector[i] ?? 0) / norm;
  return out;
}
