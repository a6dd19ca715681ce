import type { EventKind } from '../protocol/integrity-event';
import type { MetricSample } from '../protocol/metric-sample';

/**
 * Plain words shown to the candidate while something is being noted, so nothing is recorded
 * behind their back and most conditions can be fixed at once (light, camera, posture).
 *
 * Notices describe what the system observed, never an accusation or a judgement of the person:
 * these are attention and integrity signals for a human reviewer, not a decision, and no
 * emotions, personality or traits are inferred.
 *
 * null means "no live notice": the event is too trivial to interrupt the candidate for
 * (opening a context menu), but it is still listed for the interviewer.
 */
const LIVE_NOTICE: Readonly<Record<EventKind, string | null>> = {
  page_hidden: 'The interview tab was hidden',
  window_blur: 'The interview window lost focus',
  fullscreen_exit: 'You left fullscreen',
  copy: 'Copying text is noted for the interviewer',
  cut: 'Cutting text is noted for the interviewer',
  paste: 'Pasting text is noted for the interviewer',
  context_menu: null,
  camera_ended: 'Your camera stopped',
  camera_muted: 'Your camera is turned off',
  microphone_muted: 'Your microphone is muted',
  device_changed: 'Your camera or microphone changed',
  virtual_camera: 'A virtual camera seems to be in use',
  multiple_displays: 'More than one display is connected',
  no_face: 'Your face is not visible to the camera',
  multiple_faces: 'More than one person is visible',
  looking_away: 'Please look at the screen',
  camera_covered: 'Your camera seems to be covered',
  reading: null,
  identity_changed: 'The person in front of the camera seems to have changed',
  poor_quality: 'Lighting is too poor to measure',
  connection_lost: 'Your connection was interrupted',
  analysis_failed: 'Attention analysis is not available on this device',
  camera_failed: 'Your camera is not available',
  identity_uncertain: null,
};

/** Every reason the tracker or a sample gives for losing measurement. */
export type MeasurementIssue = MetricSample['qualityIssue'];

/** A more precise poor_quality notice when the cause is known, so the candidate can fix it. */
const QUALITY_NOTICE: Readonly<Record<MeasurementIssue, string>> = {
  none: 'Lighting is too poor to measure',
  dark: 'Lighting is too poor to measure',
  glare: 'Too much light or glare on the camera',
  blur: 'The camera image is blurred',
  covered: 'The camera seems to be covered',
  no_frames: 'The camera is not delivering video',
  analysis_gap: 'Analysis paused briefly',
};

/**
 * The notice for the candidate, or null when the kind has none. `qualityIssue` (optional)
 * refines `poor_quality`; it is ignored for other kinds.
 */
export function liveNoticeFor(kind: EventKind, qualityIssue?: MeasurementIssue): string | null {
  if (kind === 'poor_quality' && qualityIssue !== undefined) return QUALITY_NOTICE[qualityIssue];
  return LIVE_NOTICE[kind];
}
