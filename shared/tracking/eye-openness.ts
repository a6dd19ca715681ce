import { blendshapeScore } from './blendshapes';
import type { BlendshapeCategory, Landmark } from './frame-features';
import { LEFT_EYE, RIGHT_EYE, type EyeLandmarkIndices } from './landmark-indices';
import { clamp } from './numeric';

/**
 * Eye openness from the eyeBlinkLeft/eyeBlinkRight blendshapes (preferred: trained on eyelid
 * appearance), falling back per eye to the eye aspect ratio of the landmarks (lid gap / corner
 * width) when a blink score is missing.
 *
 * Contract:
 * - `eyeOpenness` is the mean over the measured eyes of 1 - blink score, 0 (closed) .. 1 (open).
 * - `eyesClosed` is true when EVERY measured eye's blink score exceeds `blinkThreshold`: a blink
 *   closes both eyes, a wink or a squint of one eye is not "eyes closed".
 * - With nothing to measure (no blendshapes, no usable eye landmarks) the eyes count as open,
 *   so a missing measurement can never be mistaken for a blink.
 *
 * Aspect-ratio fallback: a ratio of EAR_OPEN or more reads as blink 0, EAR_CLOSED or less as
 * blink 1, linear between. For MediaPipe's single-point lids (159/145, 386/374) an open adult eye
 * sits around 0.25..0.35 and a closed one below 0.1.
 */
export interface EyeOpenness {
  eyeOpenness: number;
  eyesClosed: boolean;
}

export const EAR_OPEN = 0.28;
export const EAR_CLOSED = 0.06;

export function eyeOpenness(
  landmarks: readonly Landmark[],
  blendshapes: readonly BlendshapeCategory[],
  blinkThreshold: number,
  aspectRatio = 1,
): EyeOpenness {
  const yScale = aspectRatio > 0 && Number.isFinite(aspectRatio) ? 1 / aspectRatio : 1;
  const blinks: number[] = [];
  const eyes: [string, EyeLandmarkIndices][] = [
    ['eyeBlinkLeft', LEFT_EYE],
    ['eyeBlinkRight', RIGHT_EYE],
  ];
  for (const [name, indices] of eyes) {
    const blink =
      blendshapeScore(blendshapes, name) ?? blinkFromAspectRatio(landmarks, indices, yScale);
    if (blink !== null) blinks.push(blink);
  }
  if (blinks.length === 0) return { eyeOpenness: 1, eyesClosed: false };
  const meanBlink = blinks.reduce((sum, blink) => sum + blink, 0) / blinks.length;
  return {
    eyeOpenness: clamp(1 - meanBlink, 0, 1),
    eyesClosed: blinks.every((blink) => blink > blinkThreshold),
  };
}

/** Eye aspect ratio: lid gap over corner width, isotropic units; null when not measurable. */
export function eyeAspectRatio(
  landmarks: readonly Landmark[],
  indices: EyeLandmarkIndices,
  yScale = 1,
): number | null {
  const a = landmarks[indices.imageLeftCorner];
  const b = landmarks[indices.imageRightCorner];
  const upper = landmarks[indices.upperLid];
  const lower = landmarks[indices.lowerLid];
  if (!a || !b || !upper || !lower) return null;
  const width = Math.hypot(b.x - a.x, (b.y - a.y) * yScale);
  const gap = Math.hypot(upper.x - lower.x, (upper.y - lower.y) * yScale);
  const ratio = gap / width;
  return width > 1e-6 && Number.isFinite(ratio) ? ratio : null;
}

function blinkFromAspectRatio(
  landmarks: readonly Landmark[],
  indices: EyeLandmarkIndices,
  yScale: number,
): number | null {
  const ratio = eyeAspectRatio(landmarks, indices, yScale);
  if (ratio === null) return null;
  return clamp((EAR_OPEN - ratio) / (EAR_OPEN - EAR_CLOSED), 0, 1);
}
