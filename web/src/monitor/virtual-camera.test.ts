import { describe, expect, test } from 'vitest';
import { physicalCameras, virtualCameraMatch } from './virtual-camera';

const device = (kind: MediaDeviceKind, label: string, deviceId = label): MediaDeviceInfo => ({
  kind,
  label,
  deviceId,
  groupId: '',
  toJSON: () => ({}),
});

describe('virtualCameraMatch', () => {
  test.each([
    ['OBS Virtual Camera', 'obs'],
    ['ManyCam Virtual Webcam', 'manycam'],
    ['Snap Camera', 'snap camera'],
    ['XSplit VCam', 'xsplit'],
    ['mmhmm Camera', 'mmhmm'],
    ['CamTwist', 'camtwist'],
    ['e2eSoft VCam', 'e2esoft'],
    ['NDI Webcam Input', 'ndi'],
  ])('"%s" matches "%s"', (label, word) => {
    expect(virtualCameraMatch(label)).toBe(word);
  });

  test.each([
    "Candidate's webcam",
    'OBSBOT Tiny 2',
    'Reincubate Camo',
    'EpocCam',
    'DroidCam Source 3',
    'Continuity Camera',
    'FaceTime HD Camera',
  ])('"%s" does not match', (label) => {
    expect(virtualCameraMatch(label)).toBeNull();
  });
});

describe('physicalCameras', () => {
  test('keeps labelled video inputs that name no virtual-camera software', () => {
    const devices = [
      device('videoinput', 'OBS Virtual Camera'),
      device('videoinput', 'FaceTime HD Camera'),
      device('audioinput', 'MacBook Microphone'),
      device('videoinput', ''),
      device('videoinput', 'Reincubate Camo'),
    ];
    expect(physicalCameras(devices).map((d) => d.label)).toEqual([
      'FaceTime HD Camera',
      'Reincubate Camo',
    ]);
  });
});
