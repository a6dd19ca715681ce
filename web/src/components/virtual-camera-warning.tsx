import { useEffect, useState } from 'react';
import type { LocalVideoTrack } from 'livekit-client';
import { physicalCameras, virtualCameraMatch } from '../monitor/virtual-camera';

/**
 * Pre-join warning when the camera preview comes from virtual-camera software (OBS Virtual
 * Camera, ManyCam, Snap Camera…): the interviewer is told once the interview starts, so the
 * candidate can pick a physical camera first, before anything is recorded. Renders nothing for
 * an ordinary camera.
 */
export function VirtualCameraWarning({ track }: { track: LocalVideoTrack | null }) {
  const [label, setLabel] = useState(track?.mediaStreamTrack.label ?? '');
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [switching, setSwitching] = useState(false);
  const matched = virtualCameraMatch(label);

  useEffect(() => {
    setLabel(track?.mediaStreamTrack.label ?? '');
  }, [track]);

  useEffect(() => {
    if (matched === null) return;
    let live = true;
    navigator.mediaDevices
      .enumerateDevices()
      .then((devices) => {
        if (live) setCameras(physicalCameras(devices));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [matched]);

  if (matched === null || track === null) return null;

  const pick = async (deviceId: string): Promise<void> => {
    setSwitching(true);
    try {
      await track.restartTrack({ deviceId: { exact: deviceId } });
      setLabel(track.mediaStreamTrack.label);
    } finally {
      setSwitching(false);
    }
  };

  return (
    <div role="alert" className="notice warning">
      <p>
        Your camera (“{label}”) looks like virtual-camera software. If you join with it, the
        interviewer will be told that a virtual camera is in use.
      </p>
      {cameras.length > 0 ? (
        <label>
          Use a physical camera instead:{' '}
          <select
            disabled={switching}
            defaultValue=""
            onChange={(event) => {
              if (event.target.value !== '') void pick(event.target.value);
            }}
          >
            <option value="" disabled>
              Choose a camera
            </option>
            {cameras.map((camera) => (
              <option key={camera.deviceId} value={camera.deviceId}>
                {camera.label}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p>Connect or enable a physical camera, then reload this page.</p>
      )}
    </div>
  );
}
