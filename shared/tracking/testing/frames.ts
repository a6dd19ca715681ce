import type { FrameFeatures, Gaze, HeadPose, ImageQuality } from '../frame-features';

/** Well lit, sharp, measured: usable under DEFAULT_POLICY. */
export const GOOD_QUALITY: ImageQuality = { luminance: 120, sharpness: 200, faceLuminance: 110 };
export const DARK_QUALITY: ImageQuality = { luminance: 15, sharpness: 5, faceLuminance: 12 };
export const COVERED_QUALITY: ImageQuality = { luminance: 4, sharpness: 0.3, faceLuminance: null };
export const GLARE_QUALITY: ImageQuality = { luminance: 245, sharpness: 60, faceLuminance: 250 };
export const BLUR_QUALITY: ImageQuality = { luminance: 110, sharpness: 2, faceLuminance: 100 };

export interface FrameSpec {
  timestampMs: number;
  /** Default 1. With 0 there is no main face. */
  faceCount?: number;
  /** Default: straight at the camera. null = no head pose. */
  pose?: Partial<HeadPose> | null;
  /** Default: straight ahead. null = no gaze. */
  gaze?: Partial<Gaze> | null;
  eyesClosed?: boolean;
  quality?: ImageQuality;
  inferenceMs?: number;
}

/** A FrameFeatures with sensible defaults: one upright face looking into the camera. */
export function makeFrame(spec: FrameSpec): FrameFeatures {
  const faceCount = spec.faceCount ?? 1;
  const eyesClosed = spec.eyesClosed ?? false;
  return {
    timestampMs: spec.timestampMs,
    faceCount,
    main:
      faceCount === 0
        ? null
        : {
            box: { x: 0.35, y: 0.25, width: 0.3, height: 0.45 },
            areaRatio: 0.135,
            pose: spec.pose === null ? null : { yawDeg: 0, pitchDeg: 0, rollDeg: 0, ...spec.pose },
            gaze: spec.gaze === null ? null : { horizontalDeg: 0, verticalDeg: 0, ...spec.gaze },
            eyeOpenness: eyesClosed ? 0.1 : 0.9,
            eyesClosed,
          },
    quality: spec.quality ?? GOOD_QUALITY,
    inferenceMs: spec.inferenceMs ?? 12,
  };
}

/** `count` frames at `fps` starting at `startMs`, each built from its index and timestamp. */
export function frameSequence(
  count: number,
  fps: number,
  startMs: number,
  spec: (index: number, timestampMs: number) => Omit<FrameSpec, 'timestampMs'>,
): FrameFeatures[] {
  return Array.from({ length: count }, (_, index) => {
    const timestampMs = startMs + (index * 1000) / fps;
    return makeFrame({ ...spec(index, timestampMs), timestampMs });
  });
}
