import {
  backendInUse,
  createFaceDescriber,
  type FaceDescriber,
  type FaceDescription,
  type IdentityBackend,
} from '../monitor/identity/face-describer';
import { HUMAN_MODELS_PATH, TFJS_WASM_PATH } from '../monitor/identity/identity-models';

/**
 * The identity benchmark page (bench/identity-bench.ts drives it through `window.identityBench`).
 * It runs the production face describer on still frames the driver serves, and hands the
 * descriptors back to the driver so that it can build the similarity tables. This page is a
 * measurement tool on the developer's machine; the product never lets a descriptor out of its
 * worker.
 */

/** The describer's output with its descriptor as a plain array, so it crosses to the driver. */
export type BenchDescription = Omit<FaceDescription, 'face'> & {
  face:
    (Omit<NonNullable<FaceDescription['face']>, 'descriptor'> & { descriptor: number[] }) | null;
};

export interface IdentityBench {
  load(backend: IdentityBackend): Promise<{ loadMs: number; backend: string }>;
  describeUrl(url: string): Promise<BenchDescription>;
}

declare global {
  interface Window {
    identityBench?: IdentityBench;
  }
}

let describer: FaceDescriber | null = null;

window.identityBench = {
  async load(backend) {
    const startMs = performance.now();
    describer = await createFaceDescriber({
      modelBasePath: HUMAN_MODELS_PATH,
      backend,
      wasmPath: TFJS_WASM_PATH,
    });
    return { loadMs: performance.now() - startMs, backend: backendInUse };
  },
  async describeUrl(url) {
    if (describer === null) throw new Error('call load() first');
    const response = await fetch(url);
    const bitmap = await createImageBitmap(await response.blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    const result = await describer.describe(canvas);
    return {
      faceCount: result.faceCount,
      inferenceMs: result.inferenceMs,
      face:
        result.face === null
          ? null
          : { ...result.face, descriptor: Array.from(result.face.descriptor) },
    };
  },
};
