import { blendshapeScore } from './blendshapes';
import type { BlendshapeCategory, Gaze, Landmark } from './frame-features';
import {
  LEFT_EYE,
  RIGHT_EYE,
  WITH_IRIS_LANDMARK_COUNT,
  type EyeLandmarkIndices,
} from './landmark-indices';
import { clamp, DEG_PER_RAD } from './numeric';

/**
 * Gaze of the eyes relative to the head, degrees: horizontalDeg > 0 = the eyes look towards the
 * image RIGHT, verticalDeg > 0 = up (the `Gaze` contract). Same image frame as the head pose, so
 * head yaw + horizontal gaze approximates where the candidate looks (see frame-verdict.ts).
 *
 * Two estimates, averaged with equal weight when both exist (neither is known to be better in
 * the field, and the calibrated baseline removes each one's constant bias):
 *
 * 1. Iris landmarks (needs the 478-landmark output). Eyeball model: the eye rotates about a
 *    centre behind the midpoint of its corners; its radius is EYEBALL_RADIUS_PER_EYE_WIDTH of the
 *    corner-to-corner width (anatomy: a ~24 mm eyeball behind a ~30 mm palpebral fissure). A gaze
 *    of (h, v) moves the iris centre in the image by radius · sin(h) along the eye axis (corner to
 *    corner) and radius · sin(v) across it, measured from the corners' midpoint horizontally and
 *    from the lids' midpoint vertically. Inverting: angle = asin(offset / radius). Working along
 *    the eye's own axis makes the estimate independent of head roll, and normalising by the eye
 *    width makes it independent of the face's distance. Both eyes are averaged.
 * 2. Blendshapes (ARKit convention: "Left" = the subject's left eye, "In" = towards the nose).
 *    In an unmirrored frame the subject's left is the image right, so looking towards the image
 *    right raises eyeLookOutLeft and eyeLookInRight. A score of 1 maps to MAX_GAZE_DEG.
 *    If field data show MediaPipe naming the other way, flip BLENDSHAPE_HORIZONTAL_SIGN.
 *
 * Angles saturate at ±MAX_GAZE_DEG: beyond it the iris hides under lids and corners and neither
 * estimate is meaningful.
 */

/** Eyeball radius as a share of the eye's corner-to-corner width (see the model above). */
export const EYEBALL_RADIUS_PER_EYE_WIDTH = 0.4;
/** Largest gaze angle either estimate reports, degrees. */
export const MAX_GAZE_DEG = 35;
/** Weight of the landmark estimate when both are available; the blendshapes get the rest. */
export const LANDMARK_GAZE_WEIGHT = 0.5;
/** +1 under the ARKit naming (see above); -1 would swap the meaning of Left/Right blendshapes. */
export const BLENDSHAPE_HORIZONTAL_SIGN = 1;

/** An eye narrower than this (isotropic normalised units) is too small or degenerate to measure. */
const MIN_EYE_WIDTH = 1e-4;

/**
 * Gaze from landmarks and blendshapes (model above), or null when neither is available: fewer
 * than 478 landmarks (no irises) AND no eye-look blendshapes.
 *
 * `aspectRatio` is the analysed frame's width / height. Landmarks are normalised per axis, so
 * y distances must be scaled by 1 / aspectRatio to compare with x distances; 1 (the default)
 * treats the frame as square, which only scales vertical angles (the baseline absorbs part of it).
 */
export function gazeFromLandmarks(
  landmarks: readonly Landmark[],
  blendshapes: readonly BlendshapeCategory[],
  aspectRatio = 1,
): Gaze | null {
  const fromLandmarks = gazeFromIrisLandmarks(landmarks, aspectRatio);
  const fromBlendshapes = gazeFromBlendshapes(blendshapes);
  if (fromLandmarks === null) return fromBlendshapes;
  if (fromBlendshapes === null) return fromLandmarks;
  const w = LANDMARK_GAZE_WEIGHT;
  return {
    horizontalDeg: w * fromLandmarks.horizontalDeg + (1 - w) * fromBlendshapes.horizontalDeg,
    verticalDeg: w * fromLandmarks.verticalDeg + (1 - w) * fromBlendshapes.verticalDeg,
  };
}

/** Estimate 1 alone: mean of both eyes' iris geometry; null without irises or with no valid eye. */
export function gazeFromIrisLandmarks(
  landmarks: readonly Landmark[],
  aspectRatio = 1,
): Gaze | null {
  if (landmarks.length < WITH_IRIS_LANDMARK_COUNT) return null;
  const yScale = aspectRatio > 0 && Number.isFinite(aspectRatio) ? 1 / aspectRatio : 1;
  const right = eyeGaze(landmarks, RIGHT_EYE, yScale);
  const left = eyeGaze(landmarks, LEFT_EYE, yScale);
  if (right === null) return left;
  if (left === null) return right;
  return {
    horizontalDeg: (right.horizontalDeg + left.horizontalDeg) / 2,
    verticalDeg: (right.verticalDeg + left.verticalDeg) / 2,
  };
}

/** Estimate 2 alone; null when the model reported none of the eye-look blendshapes. */
export function gazeFromBlendshapes(blendshapes: readonly BlendshapeCategory[]): Gaze | null {
  const score = (name: string): number | null => blendshapeScore(blendshapes, name);
  const inLeft = score('eyeLookInLeft');
  const outLeft = score('eyeLookOutLeft');
  const upLeft = score('eyeLookUpLeft');
  const downLeft = score('eyeLookDownLeft');
  const inRight = score('eyeLookInRight');
  const outRight = score('eyeLookOutRight');
  const upRight = score('eyeLookUpRight');
  const downRight = score('eyeLookDownRight');
  const all = [inLeft, outLeft, upLeft, downLeft, inRight, outRight, upRight, downRight];
  if (all.every((value) => value === null)) return null;
  const v = (value: number | null): number => value ?? 0;
  // Towards the image right: the left eye looks out, the right eye looks in.
  const horizontal = (v(outLeft) - v(inLeft) + (v(inRight) - v(outRight))) / 2;
  const vertical = (v(upLeft) - v(downLeft) + (v(upRight) - v(downRight))) / 2;
  return {
    horizontalDeg: clamp(BLENDSHAPE_HORIZONTAL_SIGN * horizontal, -1, 1) * MAX_GAZE_DEG,
    verticalDeg: clamp(vertical, -1, 1) * MAX_GAZE_DEG,
  };
}

function eyeGaze(
  landmarks: readonly Landmark[],
  eye: EyeLandmarkIndices,
  yScale: number,
): Gaze | null {
  const a = landmarks[eye.imageLeftCorner];
  const b = landmarks[eye.imageRightCorner];
  const upper = landmarks[eye.upperLid];
  const lower = landmarks[eye.lowerLid];
  const iris = landmarks[eye.irisCentre];
  if (!a || !b || !upper || !lower || !iris) return null;
  // Isotropic image coordinates (units of image width), y down.
  const ax = a.x;
  const ay = a.y * yScale;
  const bx = b.x;
  const by = b.y * yScale;
  const axisX = bx - ax;
  const axisY = by - ay;
  const width = Math.hypot(axisX, axisY);
  if (!(width > MIN_EYE_WIDTH)) return null;
  // Unit eye axis pointing to the image right, and the image-up direction across it.
  const ux = axisX / width;
  const uy = axisY / width;
  const nx = uy;
  const ny = -ux;
  const irisX = iris.x;
  const irisY = iris.y * yScale;
  const cornerMidX = (ax + bx) / 2;
  const cornerMidY = (ay + by) / 2;
  const lidMidX = (upper.x + lower.x) / 2;
  const lidMidY = ((upper.y + lower.y) / 2) * yScale;
  const along = (irisX - cornerMidX) * ux + (irisY - cornerMidY) * uy;
  const across = (irisX - lidMidX) * nx + (irisY - lidMidY) * ny;
  const radius = EYEBALL_RADIUS_PER_EYE_WIDTH * width;
  const horizontalDeg = offsetToDeg(along / radius);
  const verticalDeg = offsetToDeg(across / radius);
  if (!Number.isFinite(horizontalDeg) || !Number.isFinite(verticalDeg)) return null;
  return { horizontalDeg, verticalDeg };
}

function offsetToDeg(sine: number): number {
  return clamp(Math.asin(clamp(sine, -1, 1)) * DEG_PER_RAD, -MAX_GAZE_DEG, MAX_GAZE_DEG);
}
