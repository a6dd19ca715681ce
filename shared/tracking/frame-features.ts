/**
 * Contracts of the per-frame analysis. The candidate's browser turns each MediaPipe result into
 * `FrameFeatures` (pure functions in this folder), keeps them for one second, and summarises them
 * into a MetricSample. Nothing here leaves the device except that summary.
 */

/** Structural view of a MediaPipe landmark (normalised image coordinates, z relative depth). */
export interface Landmark {
  x: number;
  y: number;
  z: number;
}

/** Structural view of one blendshape score. */
export interface BlendshapeCategory {
  categoryName: string;
  score: number;
}

/** The subset of MediaPipe's FaceLandmarkerResult the features need, one entry per face. */
export interface FaceLandmarkerOutput {
  faceLandmarks: Landmark[][];
  faceBlendshapes: { categories: BlendshapeCategory[] }[];
  /** 4x4 facial transformation matrices, column-major (MediaPipe's `Matrix.data`). */
  facialTransformationMatrixes: { rows: number; columns: number; data: number[] }[];
}

export interface BoundingBox {
  /** Normalised 0..1 image coordinates. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface HeadPose {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

/** Gaze direction of the eyes relative to the head, degrees (positive = right / up in image). */
export interface Gaze {
  horizontalDeg: number;
  verticalDeg: number;
}

export interface FaceObservation {
  box: BoundingBox;
  /** Share of the image area the face box covers, 0..1. */
  areaRatio: number;
  pose: HeadPose | null;
  gaze: Gaze | null;
  /** Mean eye openness 0 (closed) .. 1 (open). */
  eyeOpenness: number;
  eyesClosed: boolean;
}

/** Image statistics measured on a downscaled grey copy of the frame. */
export interface ImageQuality {
  /** Mean luminance 0..255. */
  luminance: number;
  /** Variance of the Laplacian: low = blurred or covered. */
  sharpness: number;
  /** Mean luminance inside the main face box, when there is one. */
  faceLuminance: number | null;
  /**
   * False when no pixels were available (no grey frame): luminance and sharpness are then
   * neutral placeholders, the frame is judged on its landmarks alone, and window means skip it.
   * Absent means true (measured).
   */
  measured?: boolean;
}

export interface FrameFeatures {
  /** Candidate clock, epoch ms, of the video frame. */
  timestampMs: number;
  faceCount: number;
  /** The largest face: the candidate, by the design of a webcam interview. */
  main: FaceObservation | null;
  quality: ImageQuality;
  /** Wall time of the landmarker call, ms. */
  inferenceMs: number;
}

/** The candidate's neutral pose and gaze, measured during calibration. */
export interface Baseline {
  pose: HeadPose;
  gaze: Gaze;
}

export type QualityIssue = 'none' | 'dark' | 'glare' | 'blur' | 'covered';

/** What one frame says once compared with the baseline and the policy. */
export interface FrameVerdict {
  timestampMs: number;
  faceCount: number;
  /** Whether the frame was good enough to measure at all. */
  usable: boolean;
  qualityIssue: QualityIssue;
  /** One face with head and gaze within range; null when there is not exactly one face. */
  onScreen: boolean | null;
  /**
   * How far the main face looks away, as a share of its limit: the largest of |yaw| / maxYawDeg,
   * |pitch| / maxPitchDeg and |eye gaze| / maxGazeDeg, all relative to the baseline. Above 1 the
   * frame is off screen. Null whenever onScreen is null. Lets the detector apply hysteresis.
   */
  awayRatio?: number | null;
  /** Head yaw, pitch and horizontal eye gaze relative to the baseline (degrees), for evidence. */
  relative?: { yawDeg: number; pitchDeg: number; gazeDeg: number } | null;
  /** Mean luminance and sharpness of the frame; null when no pixels were measured. */
  luminance?: number | null;
  sharpness?: number | null;
}
