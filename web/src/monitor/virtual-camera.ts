/**
 * Virtual cameras by their device label: software that feeds any video (a recording, a screen,
 * another person) to the browser as if it were a camera. A label is a hint, not proof (a renamed
 * driver evades it, a real camera can be named oddly), so events carry the matched word for the
 * reviewer, not a verdict, and the candidate is warned before joining so they can pick their
 * physical camera.
 *
 * Only virtual-camera software is listed: OBS Virtual Camera, ManyCam, Snap Camera, XSplit VCam,
 * mmhmm, CamTwist, e2eSoft VCam, SplitCam, NDI Webcam Input, CyberLink YouCam, ChromaCam,
 * AlterCam, Webcamoid, and any label with the word "virtual". Phone-as-webcam apps (Camo,
 * EpocCam, DroidCam, Iriun, Continuity Camera) are not on the list: they carry a real camera's
 * live picture. Words match whole (`\b`): "ndi" inside "candidate" or "obs" inside "OBSBOT" (a
 * brand of real webcams) never match.
 */
export const VIRTUAL_CAMERA_PATTERN =
  /\b(?:obs|virtual|virtualcam|manycam|snap camera|xsplit|mmhmm|camtwist|e2esoft|splitcam|ndi|youcam|chromacam|altercam|webcamoid)\b/i;

/** The matched word, lower case, or null when the label names no known virtual camera. */
export function virtualCameraMatch(label: string): string | null {
  const match = VIRTUAL_CAMERA_PATTERN.exec(label);
  return match === null ? null : match[0].toLowerCase();
}

/** Cameras whose labels name no virtual-camera software (labels are empty before permission). */
export function physicalCameras(devices: readonly MediaDeviceInfo[]): MediaDeviceInfo[] {
  return devices.filter(
    (d) => d.kind === 'videoinput' && d.label !== '' && virtualCameraMatch(d.label) === null,
  );
}
