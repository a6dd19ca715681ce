import type { BoundingBox, Landmark } from './frame-features';
import { clamp } from './numeric';

/**
 * Axis-aligned box around a face's landmarks in normalised image coordinates, clamped to the
 * image (0..1), or null when there is no finite landmark or the clamped box is empty (a face
 * entirely outside the frame). MediaPipe landmarks may lie slightly outside 0..1 when the face
 * is cut by the frame edge; clamping keeps the box "the visible part of the face".
 * Non-finite landmarks are skipped rather than poisoning the box.
 */
export function faceBoxFromLandmarks(landmarks: readonly Landmark[]): BoundingBox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const landmark of landmarks) {
    const { x, y } = landmark;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (minX > maxX || minY > maxY) return null;
  const left = clamp(minX, 0, 1);
  const right = clamp(maxX, 0, 1);
  const top = clamp(minY, 0, 1);
  const bottom = clamp(maxY, 0, 1);
  const width = right - left;
  const height = bottom - top;
  if (width <= 0 || height <= 0) return null;
  return { x: left, y: top, width, height };
}

/**
 * Share of the image the box covers, 0..1. Landmarks are normalised by image width and height
 * separately, so the product of the normalised sides is the share of pixels whatever the aspect
 * ratio.
 */
export function faceBoxAreaRatio(box: BoundingBox): number {
  const area = box.width * box.height;
  return Number.isFinite(area) ? clamp(area, 0, 1) : 0;
}
