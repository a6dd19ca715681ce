import type { Landmark } from '../frame-features';
import { LEFT_EYE, RIGHT_EYE, WITH_IRIS_LANDMARK_COUNT } from '../landmark-indices';

export interface SyntheticEyesOptions {
  /** Gaze relative to the head: positive = image right / up. */
  horizontalDeg: number;
  verticalDeg: number;
  /** Whole face turned clockwise in the image by this much. */
  rollDeg?: number;
  /** Frame width / height; landmarks are normalised per axis like MediaPipe's. */
  aspectRatio?: number;
  /** Corner-to-corner eye width in units of image width. */
  eyeWidth?: number;
  /** Vertical lid gap as a share of the eye width (open eye ≈ 0.3). */
  lidGapShare?: number;
  landmarkCount?: number;
}

/**
 * A frontal face reduced to its eye landmarks, in the image plane, with the iris centres placed
 * by the gaze module's forward model: offset = sin(angle) × eyeball radius, radius = 0.4 × eye
 * width, along the eye axis horizontally and across it vertically, from the eye centre (corners'
 * and lids' midpoint). Built in square units (units of image width, y down), then rotated
 * clockwise by `rollDeg` about the face centre and normalised per axis.
 */
export function syntheticEyes(options: SyntheticEyesOptions): Landmark[] {
  const aspectRatio = options.aspectRatio ?? 1;
  const eyeWidth = options.eyeWidth ?? 0.06;
  const lidHalfGap = ((options.lidGapShare ?? 0.3) * eyeWidth) / 2;
  const radius = 0.4 * eyeWidth;
  const rad = Math.PI / 180;
  const irisDx = radius * Math.sin(options.horizontalDeg * rad);
  const irisDy = -radius * Math.sin(options.verticalDeg * rad);
  const centre = { x: 0.5, y: 0.3 };
  const roll = (options.rollDeg ?? 0) * rad;
  const place = (x: number, y: number): Landmark => {
    const dx = x - centre.x;
    const dy = y - centre.y;
    // Clockwise on screen for positive roll (y points down).
    const rx = centre.x + dx * Math.cos(roll) - dy * Math.sin(roll);
    const ry = centre.y + dx * Math.sin(roll) + dy * Math.cos(roll);
    return { x: rx, y: ry * aspectRatio, z: 0 };
  };
  const count = options.landmarkCount ?? WITH_IRIS_LANDMARK_COUNT;
  const landmarks: Landmark[] = Array.from({ length: count }, () =>
    place(centre.x, centre.y + 0.1),
  );
  const set = (index: number, point: Landmark) => {
    if (index < count) landmarks[index] = point;
  };
  for (const [eye, eyeCentreX] of [
    [RIGHT_EYE, centre.x - 0.08],
    [LEFT_EYE, centre.x + 0.08],
  ] as const) {
    set(eye.imageLeftCorner, place(eyeCentreX - eyeWidth / 2, centre.y));
    set(eye.imageRightCorner, place(eyeCentreX + eyeWidth / 2, centre.y));
    set(eye.upperLid, place(eyeCentreX, centre.y - lidHalfGap));
    set(eye.lowerLid, place(eyeCentreX, centre.y + lidHalfGap));
    set(eye.irisCentre, place(eyeCentreX + irisDx, centre.y + irisDy));
  }
  return landmarks;
}
