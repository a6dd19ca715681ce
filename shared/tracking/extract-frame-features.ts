import { eyeOpenness } from './eye-openness';
import { faceBoxAreaRatio, faceBoxFromLandmarks } from './face-box';
import type {
  BoundingBox,
  FaceLandmarkerOutput,
  FaceObservation,
  FrameFeatures,
} from './frame-features';
import { gazeFromLandmarks } from './gaze';
import { headPoseFromMatrix } from './head-pose';
import { measureImageQuality, UNMEASURED_QUALITY, type GrayFrame } from './image-quality';

export interface ExtractFrameFeaturesInput {
  output: FaceLandmarkerOutput;
  /**
   * Downscaled grey copy of the SAME frame MediaPipe analysed (same orientation and mirroring),
   * or null when the worker could not read pixels. Without it the frame's quality is
   * UNMEASURED_QUALITY (`measured: false`): judged on landmarks alone, skipped by window means.
   */
  gray: GrayFrame | null;
  timestampMs: number;
  inferenceMs: number;
  blinkThreshold: number;
  /**
   * Width / height of the analysed frame, to measure eye geometry in square units. Defaults to
   * the grey frame's ratio (a downscale keeps it), else 1.
   */
  aspectRatio?: number;
}

/**
 * One MediaPipe result turned into FrameFeatures. Faces without a finite, on-image landmark box
 * are not counted. The main face is the one with the largest box: in a webcam interview that is
 * the candidate. Only the main face is analysed further (pose, gaze, eyes); its gaze is null
 * while the eyes are closed, since a blink says nothing about where the candidate looks.
 */
export function extractFrameFeatures(input: ExtractFrameFeaturesInput): FrameFeatures {
  const { output, gray, blinkThreshold } = input;
  const aspectRatio = resolveAspectRatio(input.aspectRatio, gray);

  let faceCount = 0;
  let mainIndex = -1;
  let mainBox: BoundingBox | null = null;
  let mainArea = -1;
  for (const [index, landmarks] of output.faceLandmarks.entries()) {
    const box = faceBoxFromLandmarks(landmarks);
    if (box === null) continue;
    faceCount += 1;
    const area = faceBoxAreaRatio(box);
    if (area > mainArea) {
      mainArea = area;
      mainBox = box;
      mainIndex = index;
    }
  }

  let main: FaceObservation | null = null;
  if (mainBox !== null) {
    const landmarks = output.faceLandmarks[mainIndex] ?? [];
    const blendshapes = output.faceBlendshapes[mainIndex]?.categories ?? [];
    const matrix = output.facialTransformationMatrixes[mainIndex];
    const eyes = eyeOpenness(landmarks, blendshapes, blinkThreshold, aspectRatio);
    main = {
      box: mainBox,
      areaRatio: mainArea,
      pose: matrix ? headPoseFromMatrix(matrix.data) : null,
      gaze: eyes.eyesClosed ? null : gazeFromLandmarks(landmarks, blendshapes, aspectRatio),
      eyeOpenness: eyes.eyeOpenness,
      eyesClosed: eyes.eyesClosed,
    };
  }

  return {
    timestampMs: input.timestampMs,
    faceCount,
    main,
    quality: gray === null ? UNMEASURED_QUALITY : measureImageQuality(gray, main?.box ?? null),
    inferenceMs: Number.isFinite(input.inferenceMs) ? Math.max(0, input.inferenceMs) : 0,
  };
}

function resolveAspectRatio(given: number | undefined, gray: GrayFrame | null): number {
  if (given !== undefined && given > 0 && Number.isFinite(given)) return given;
  if (gray !== null && gray.width > 0 && gray.height > 0) return gray.width / gray.height;
  return 1;
}
