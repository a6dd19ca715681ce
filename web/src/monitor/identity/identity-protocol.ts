import type { IdentityComparison } from '../../../../shared/detection/identity-continuity';

/**
 * Messages between the page and `identity.worker.ts`. The worker holds the enrolled face
 * descriptor and never sends it: the page only ever receives scalars (face count, pose relative
 * to enrolment, light, size, similarity). The descriptor dies with the worker.
 */
export type IdentityToWorker =
  | { type: 'init'; modelBasePath: string; wasmPath: string }
  | {
      type: 'frame';
      frameId: number;
      /** Transferred; the worker closes it. */
      image: VideoFrame | ImageBitmap;
      atMs: number;
    }
  | { type: 'dispose' };

export type IdentityFromWorker =
  | { type: 'ready'; loadMs: number; backend: string }
  | { type: 'init-failed'; message: string }
  /** Enrolment still needs frames; `reason` says why this one could not be used. */
  | { type: 'enrolling'; frameId: number; reason: string; inferenceMs: number }
  /** Enrolment done: the head pose it was made at (for the page's diagnostics only). */
  | { type: 'enrolled'; frameId: number; frames: number; inferenceMs: number }
  | { type: 'compared'; frameId: number; comparison: IdentityComparison; inferenceMs: number }
  | { type: 'frame-failed'; frameId: number; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

export function parseIdentityToWorker(data: unknown): IdentityToWorker | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'init':
      return typeof data.modelBasePath === 'string' && typeof data.wasmPath === 'string'
        ? (data as IdentityToWorker)
        : null;
    case 'frame':
      return isNumber(data.frameId) &&
        isNumber(data.atMs) &&
        ((typeof VideoFrame !== 'undefined' && data.image instanceof VideoFrame) ||
          (typeof ImageBitmap !== 'undefined' && data.image instanceof ImageBitmap))
        ? (data as IdentityToWorker)
        : null;
    case 'dispose':
      return { type: 'dispose' };
    default:
      return null;
  }
}

export function parseIdentityFromWorker(data: unknown): IdentityFromWorker | null {
  if (!isObject(data)) return null;
  switch (data.type) {
    case 'ready':
      return isNumber(data.loadMs) ? (data as IdentityFromWorker) : null;
    case 'init-failed':
      return typeof data.message === 'string' ? (data as IdentityFromWorker) : null;
    case 'enrolling':
    case 'enrolled':
    case 'frame-failed':
      return isNumber(data.frameId) ? (data as IdentityFromWorker) : null;
    case 'compared':
      return isNumber(data.frameId) && isObject(data.comparison)
        ? (data as IdentityFromWorker)
        : null;
    default:
      return null;
  }
}
