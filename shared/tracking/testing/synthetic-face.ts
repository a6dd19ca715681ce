import type { BlendshapeCategory, Landmark } from '../frame-features';
import { LANDMARK, WITH_IRIS_LANDMARK_COUNT } from '../landmark-indices';

/**
 * Synthetic faces for tests, built the way MediaPipe's Face Transform module describes its
 * output: points of a canonical face (centimetres, +x image right when frontal, +y up, +z out of
 * the nose), rotated and translated into a camera space looking down -z, projected by a pinhole
 * camera to normalised image coordinates (x right, y DOWN).
 *
 * The rotations here are built by multiplying elementary axis rotations, independently of the
 * closed form in head-pose.ts, so the tests check the decomposition rather than restate it.
 */

export type Vec3 = readonly [number, number, number];
/** Row-major 3x3. */
export type Mat3 = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * A handful of landmark-like canonical points (cm). Nose, forehead, chin, outer eye corners and
 * the face sides follow MediaPipe's canonical_face_model.obj; the eye details are simplified to
 * symmetric eyes (corners level, lids straight above and below the eye centre) so that the
 * eyeball model's forward direction is easy to state.
 */
export const EYE_CENTRE_CM: { right: Vec3; left: Vec3 } = {
  right: [-3.15, 2.65, 3.5],
  left: [3.15, 2.65, 3.5],
};
export const EYE_HALF_WIDTH_CM = 1.3;
export const LID_HALF_GAP_CM = 0.45;

export const CANONICAL_POINTS_CM: ReadonlyMap<number, Vec3> = new Map<number, Vec3>([
  [LANDMARK.noseTip, [0, -1.126865, 7.475604]],
  [LANDMARK.forehead, [0, 8.261778, 4.481535]],
  [LANDMARK.chin, [0, -9.403378, 4.264492]],
  [234, [-7.664182, 0.673132, -2.435867]],
  [454, [7.664182, 0.673132, -2.435867]],
  [LANDMARK.rightEyeOuter, [-3.15 - 1.3, 2.65, 3.5]],
  [LANDMARK.rightEyeInner, [-3.15 + 1.3, 2.65, 3.5]],
  [LANDMARK.rightEyeUpperLid, [-3.15, 2.65 + 0.45, 3.7]],
  [LANDMARK.rightEyeLowerLid, [-3.15, 2.65 - 0.45, 3.7]],
  [LANDMARK.leftEyeInner, [3.15 - 1.3, 2.65, 3.5]],
  [LANDMARK.leftEyeOuter, [3.15 + 1.3, 2.65, 3.5]],
  [LANDMARK.leftEyeUpperLid, [3.15, 2.65 + 0.45, 3.7]],
  [LANDMARK.leftEyeLowerLid, [3.15, 2.65 - 0.45, 3.7]],
]);

const RAD = Math.PI / 180;

export function multiply(a: Mat3, b: Mat3): Mat3 {
  const out: number[] = [];
  for (let row = 0; row < 3; row += 1) {
    for (let col = 0; col < 3; col += 1) {
      let sum = 0;
      for (let k = 0; k < 3; k += 1) sum += (a[row * 3 + k] as number) * (b[k * 3 + col] as number);
      out.push(sum);
    }
  }
  return out as unknown as Mat3;
}

export function apply(m: Mat3, v: Vec3): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

/** Right-handed rotation about +x (positive turns +y towards +z). */
export function rotationX(deg: number): Mat3 {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}
/** Right-handed rotation about +y (positive turns +z towards +x). */
export function rotationY(deg: number): Mat3 {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}
/** Right-handed rotation about +z (positive turns +x towards +y: counter-clockwise on screen). */
export function rotationZ(deg: number): Mat3 {
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  return [c, -s, 0, s, c, 0, 0, 0, 1];
}

/**
 * The head rotation for the documented conventions: yaw turns the nose towards +x (image right),
 * pitch raises it (a NEGATIVE rotation about +x), roll turns the face clockwise on screen (a
 * NEGATIVE rotation about +z, which points at the viewer). Applied roll first, then pitch, yaw.
 */
export function headRotation(yawDeg: number, pitchDeg: number, rollDeg: number): Mat3 {
  return multiply(rotationY(yawDeg), multiply(rotationX(-pitchDeg), rotationZ(-rollDeg)));
}

/** The 4x4 face → camera transform as MediaPipe stores it: column-major, uniform scale. */
export function transformColumnMajor(rotation: Mat3, translationCm: Vec3, scale = 1): number[] {
  const data = new Array<number>(16).fill(0);
  for (let row = 0; row < 3; row += 1) {
    for (let col = 0; col < 3; col += 1)
      data[col * 4 + row] = scale * (rotation[row * 3 + col] as number);
    data[12 + row] = translationCm[row] as number;
  }
  data[15] = 1;
  return data;
}

export interface PinholeCamera {
  /** Focal length in units of image width / height (f_px / width_px, f_px / height_px). */
  focalX: number;
  focalY: number;
}

/** A 4:3 webcam with a ~60° horizontal field of view. */
export const WEBCAM_4_3: PinholeCamera = { focalX: 0.866, focalY: 0.866 * (4 / 3) };

/** Camera space (looking down -z, +y up) to normalised image coordinates (y down). */
export function project(point: Vec3, camera: PinholeCamera): Landmark {
  const depth = -point[2];
  return {
    x: 0.5 + (camera.focalX * point[0]) / depth,
    y: 0.5 - (camera.focalY * point[1]) / depth,
    // MediaPipe's z: relative depth, smaller = closer, scaled like x. Only its sign matters here.
    z: (point[2] + 50) * -0.01,
  };
}

export interface SyntheticFaceOptions {
  yawDeg?: number;
  pitchDeg?: number;
  rollDeg?: number;
  translationCm?: Vec3;
  /** Eye gaze relative to the head, degrees (positive = towards the head's +x / +y). */
  gazeHorizontalDeg?: number;
  gazeVerticalDeg?: number;
  /** Fewer than 478 to leave the irises out. */
  landmarkCount?: number;
  camera?: PinholeCamera;
}

export interface SyntheticFace {
  landmarks: Landmark[];
  matrix: number[];
  /** Camera-space points by landmark index (before projection). */
  cameraPointsCm: Map<number, Vec3>;
}

/**
 * A face with the canonical points above, iris centres placed by the gaze module's eyeball model
 * (iris = eye centre + radius · (sin h, sin v), radius = 0.4 × corner-to-corner width), rotated,
 * translated and projected. Landmarks not modelled sit at the nose tip, inside the face box.
 */
export function syntheticFace(options: SyntheticFaceOptions = {}): SyntheticFace {
  const rotation = headRotation(options.yawDeg ?? 0, options.pitchDeg ?? 0, options.rollDeg ?? 0);
  const translation = options.translationCm ?? [0, 0, -55];
  const camera = options.camera ?? WEBCAM_4_3;
  const count = options.landmarkCount ?? WITH_IRIS_LANDMARK_COUNT;

  const radius = 0.4 * 2 * EYE_HALF_WIDTH_CM;
  const h = (options.gazeHorizontalDeg ?? 0) * RAD;
  const v = (options.gazeVerticalDeg ?? 0) * RAD;
  const irisOffset: Vec3 = [
    radius * Math.sin(h),
    radius * Math.sin(v),
    radius * Math.cos(h) * Math.cos(v),
  ];
  const facePoints = new Map(CANONICAL_POINTS_CM);
  for (const [index, centre] of [
    [LANDMARK.rightIrisCentre, EYE_CENTRE_CM.right],
    [LANDMARK.leftIrisCentre, EYE_CENTRE_CM.left],
  ] as const) {
    facePoints.set(index, [
      centre[0] + irisOffset[0],
      centre[1] + irisOffset[1],
      centre[2] - radius + irisOffset[2],
    ]);
  }

  const cameraPointsCm = new Map<number, Vec3>();
  for (const [index, point] of facePoints) {
    const rotated = apply(rotation, point);
    cameraPointsCm.set(index, [
      rotated[0] + translation[0],
      rotated[1] + translation[1],
      rotated[2] + translation[2],
    ]);
  }
  const filler = project(cameraPointsCm.get(LANDMARK.noseTip) as Vec3, camera);
  const landmarks: Landmark[] = Array.from({ length: count }, () => ({ ...filler }));
  for (const [index, point] of cameraPointsCm) {
    if (index < count) landmarks[index] = project(point, camera);
  }
  return { landmarks, matrix: transformColumnMajor(rotation, translation), cameraPointsCm };
}

/** Blendshape categories from a name → score record. */
export function blendshapes(scores: Record<string, number>): BlendshapeCategory[] {
  return Object.entries(scores).map(([categoryName, score]) => ({ categoryName, score }));
}

/**
 * The eye-look blendshapes a gaze would produce under the gaze module's reading (ARKit naming,
 * score 1 = 35°): looking towards the image right raises eyeLookOutLeft and eyeLookInRight.
 */
export function eyeLookBlendshapes(
  horizontalDeg: number,
  verticalDeg: number,
): BlendshapeCategory[] {
  const h = horizontalDeg / 35;
  const v = verticalDeg / 35;
  return blendshapes({
    eyeLookOutLeft: Math.max(0, h),
    eyeLookInRight: Math.max(0, h),
    eyeLookInLeft: Math.max(0, -h),
    eyeLookOutRight: Math.max(0, -h),
    eyeLookUpLeft: Math.max(0, v),
    eyeLookUpRight: Math.max(0, v),
    eyeLookDownLeft: Math.max(0, -v),
    eyeLookDownRight: Math.max(0, -v),
  });
}
