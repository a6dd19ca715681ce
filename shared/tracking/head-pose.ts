import type { HeadPose } from './frame-features';
import { clamp, DEG_PER_RAD, RAD_PER_DEG } from './numeric';

/**
 * Head pose from MediaPipe's facial transformation matrix.
 *
 * Input contract (MediaPipe Face Transform module, docs/solutions/face_mesh.md "Metric 3D space"):
 * the matrix maps the canonical face model (centimetres, origin inside the head, +x towards the
 * image right when frontal, +y up, +z out of the nose) into a right-handed metric space whose
 * virtual camera sits at the origin looking down -z, with +x image right and +y image up.
 * `Matrix.data` holds the 4x4 matrix column-major: element (row r, column c) is `data[c * 4 + r]`,
 * so the translation is `data[12..14]` and the face of a person in front of the camera has a
 * negative z translation. The upper 3x3 is a rotation times a (near-1) Procrustes scale.
 *
 * Output conventions, all in degrees, in the unmirrored camera image MediaPipe analysed:
 * - `yawDeg` > 0: the face turns towards the image RIGHT (camera +x). In an unmirrored webcam frame
 *   that is the candidate turning to THEIR OWN LEFT; in a mirrored (selfie) preview it looks like
 *   a turn to the right.
 * - `pitchDeg` > 0: the face looks UP.
 * - `rollDeg` > 0: the face tilts CLOCKWISE in the image (the image-right eye drops).
 * All three are 0 for a face looking straight into the camera, upright.
 *
 * Decomposition: R = Ry(yaw) · Rx(-pitch) · Rz(-roll) with the usual right-handed axis rotations,
 * i.e. roll is applied in the face's own plane first, then pitch, then yaw about the camera's
 * vertical axis. So yaw and pitch are exactly the azimuth and elevation of the nose direction
 * (R · (0, 0, 1) = (cos p · sin y, sin p, cos p · cos y)), which is what "looking at the screen"
 * depends on; roll never changes where the face points.
 */

/** |sin(pitch)| above this is gimbal lock (pitch within ~0.26° of ±90°): roll folds into yaw. */
const GIMBAL_LOCK_SIN = 0.99999;
/** A column norm below this is not a face transform (degenerate or zero matrix). */
const MIN_SCALE = 1e-9;

/** Rotation as a row-major 3x3: [r00, r01, r02, r10, r11, r12, r20, r21, r22]. */
export type RotationMatrix = readonly [
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
 * Euler angles of a facial transformation matrix (see the file comment for the conventions), or
 * null when the data is not a usable 4x4 transform: fewer than 16 values, any non-finite value, a
 * degenerate (zero-scale) or mirroring (negative determinant) upper 3x3.
 *
 * Robustness: the rotation columns are normalised, so the Procrustes scale does not matter. If the
 * data looks row-major instead (non-zero bottom row and zero translation column), it is read
 * transposed rather than returning angles with flipped signs.
 */
export function headPoseFromMatrix(data: ArrayLike<number>): HeadPose | null {
  const rotation = rotationFromTransform(data);
  if (rotation === null) return null;
  return headPoseFromRotation(rotation);
}

/** The normalised rotation part of a 4x4 transform, or null (same rules as headPoseFromMatrix). */
export function rotationFromTransform(data: ArrayLike<number>): RotationMatrix | null {
  if (data.length < 16) return null;
  for (let i = 0; i < 16; i += 1) {
    if (!Number.isFinite(data[i])) return null;
  }
  const d = (i: number): number => data[i] as number;
  const bottomRow = Math.abs(d(3)) + Math.abs(d(7)) + Math.abs(d(11));
  const translationColumn = Math.abs(d(12)) + Math.abs(d(13)) + Math.abs(d(14));
  const rowMajor = bottomRow > 1e-6 && translationColumn <= 1e-6;
  const at = rowMajor
    ? (row: number, col: number): number => d(row * 4 + col)
    : (row: number, col: number): number => d(col * 4 + row);

  const m00 = at(0, 0);
  const m01 = at(0, 1);
  const m02 = at(0, 2);
  const m10 = at(1, 0);
  const m11 = at(1, 1);
  const m12 = at(1, 2);
  const m20 = at(2, 0);
  const m21 = at(2, 1);
  const m22 = at(2, 2);
  const s0 = Math.hypot(m00, m10, m20);
  const s1 = Math.hypot(m01, m11, m21);
  const s2 = Math.hypot(m02, m12, m22);
  if (!(s0 > MIN_SCALE && s1 > MIN_SCALE && s2 > MIN_SCALE)) return null;
  const r: RotationMatrix = [
    m00 / s0,
    m01 / s1,
    m02 / s2,
    m10 / s0,
    m11 / s1,
    m12 / s2,
    m20 / s0,
    m21 / s1,
    m22 / s2,
  ];
  if (determinant(r) <= 0) return null;
  return r;
}

/** Euler angles of a rotation (row-major 3x3), conventions as in the file comment. */
export function headPoseFromRotation(r: RotationMatrix): HeadPose {
  const [r00, r01, r02, r10, r11, r12, , , r22] = r;
  // With R = Ry(ψ)·Rx(θ)·Rz(φ): r12 = -sin θ, r02 = sin ψ cos θ, r22 = cos ψ cos θ,
  // r10 = cos θ sin φ, r11 = cos θ cos φ. Our pitch is -θ and our roll is -φ.
  const sinTheta = clamp(-r12, -1, 1);
  const theta = Math.asin(sinTheta);
  let psi: number;
  let phi: number;
  if (Math.abs(sinTheta) < GIMBAL_LOCK_SIN) {
    psi = Math.atan2(r02, r22);
    phi = Math.atan2(r10, r11);
  } else {
    // cos θ ≈ 0: only ψ ∓ φ is observable (r00 = cos(ψ ∓ φ), r01 = ±sin(ψ ∓ φ)). Keep it all in
    // yaw so the angles stay finite and continuous in yaw; roll reads 0.
    phi = 0;
    psi = Math.atan2(Math.sign(sinTheta) * r01, r00);
  }
  return {
    yawDeg: normaliseZero(psi * DEG_PER_RAD),
    pitchDeg: normaliseZero(-theta * DEG_PER_RAD),
    rollDeg: normaliseZero(-phi * DEG_PER_RAD),
  };
}

/** The rotation a head pose stands for (inverse of headPoseFromRotation), row-major 3x3. */
export function rotationFromHeadPose(pose: HeadPose): RotationMatrix {
  const psi = pose.yawDeg * RAD_PER_DEG;
  const theta = -pose.pitchDeg * RAD_PER_DEG;
  const phi = -pose.rollDeg * RAD_PER_DEG;
  const cy = Math.cos(psi);
  const sy = Math.sin(psi);
  const cx = Math.cos(theta);
  const sx = Math.sin(theta);
  const cz = Math.cos(phi);
  const sz = Math.sin(phi);
  return [
    cy * cz + sy * sx * sz,
    -cy * sz + sy * sx * cz,
    sy * cx,
    cx * sz,
    cx * cz,
    -sx,
    -sy * cz + cy * sx * sz,
    sy * sz + cy * sx * cz,
    cy * cx,
  ];
}

/**
 * Angle of the rotation that takes pose `a` to pose `b`, degrees in 0..180: the geodesic distance
 * between two head orientations. Unlike a difference of Euler angles it does not over-count near
 * large pitch, and a pure roll counts as much as a pure yaw of the same size.
 */
export function angleBetweenPosesDeg(a: HeadPose, b: HeadPose): number {
  const ra = rotationFromHeadPose(a);
  const rb = rotationFromHeadPose(b);
  // trace(Raᵀ · Rb) = sum of the element-wise products.
  let trace = 0;
  for (let i = 0; i < 9; i += 1) trace += (ra[i] as number) * (rb[i] as number);
  const cosAngle = clamp((trace - 1) / 2, -1, 1);
  // acos loses precision near 0; use the sine-based form for small angles.
  if (cosAngle > 0.99) {
    let sumSq = 0;
    for (let i = 0; i < 9; i += 1) {
      const diff = (ra[i] as number) - (rb[i] as number);
      sumSq += diff * diff;
    }
    // ‖Ra − Rb‖_F = 2√2 · sin(angle / 2).
    return 2 * Math.asin(clamp(Math.sqrt(sumSq) / (2 * Math.SQRT2), 0, 1)) * DEG_PER_RAD;
  }
  return Math.acos(cosAngle) * DEG_PER_RAD;
}

function determinant(r: RotationMatrix): number {
  const [a, b, c, d, e, f, g, h, i] = r;
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** -0 reads oddly in logs and snapshots; the sign of zero carries no meaning here. */
function normaliseZero(value: number): number {
  return value === 0 ? 0 : value;
}
