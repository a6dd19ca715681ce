/**
 * MediaPipe Face Landmarker indices used by the tracking functions.
 *
 * "Right" and "left" are the SUBJECT's own sides, as in MediaPipe's FACEMESH_RIGHT_EYE /
 * FACEMESH_LEFT_EYE connection sets. In an unmirrored camera frame the subject's right eye appears
 * on the image LEFT: in the canonical face model landmark 33 has x = -4.4 cm and 263 has
 * x = +4.4 cm, and the model's +x is the camera's +x (image right).
 */
export const LANDMARK = {
  noseTip: 1,
  forehead: 10,
  chin: 152,
  /** Subject's right eye: outer corner (image left of it) and inner corner (towards the nose). */
  rightEyeOuter: 33,
  rightEyeInner: 133,
  rightEyeUpperLid: 159,
  rightEyeLowerLid: 145,
  /** Centre of the subject's right iris; 469..472 are its rim. */
  rightIrisCentre: 468,
  /** Subject's left eye: inner corner (towards the nose) and outer corner. */
  leftEyeInner: 362,
  leftEyeOuter: 263,
  leftEyeUpperLid: 386,
  leftEyeLowerLid: 374,
  /** Centre of the subject's left iris; 474..477 are its rim. */
  leftIrisCentre: 473,
} as const;

/** Landmark count of the face mesh alone, without the iris refinement. */
export const FACE_MESH_LANDMARK_COUNT = 468;
/** Landmark count with the ten iris landmarks (468..477): Face Landmarker's normal output. */
export const WITH_IRIS_LANDMARK_COUNT = 478;

/**
 * The landmarks of one eye, ordered so both eyes read the same way in the image: `imageLeft` is
 * the corner with the smaller x in an upright unmirrored frame.
 */
export interface EyeLandmarkIndices {
  imageLeftCorner: number;
  imageRightCorner: number;
  upperLid: number;
  lowerLid: number;
  irisCentre: number;
}

export const RIGHT_EYE: EyeLandmarkIndices = {
  imageLeftCorner: LANDMARK.rightEyeOuter,
  imageRightCorner: LANDMARK.rightEyeInner,
  upperLid: LANDMARK.rightEyeUpperLid,
  lowerLid: LANDMARK.rightEyeLowerLid,
  irisCentre: LANDMARK.rightIrisCentre,
};

export const LEFT_EYE: EyeLandmarkIndices = {
  imageLeftCorner: LANDMARK.leftEyeInner,
  imageRightCorner: LANDMARK.leftEyeOuter,
  upperLid: LANDMARK.leftEyeUpperLid,
  lowerLid: LANDMARK.leftEyeLowerLid,
  irisCentre: LANDMARK.leftIrisCentre,
};
