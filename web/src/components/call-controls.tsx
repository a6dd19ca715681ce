import { useId, useState, type ReactNode } from 'react';
import { Track, type LocalTrack, type Room } from 'livekit-client';
import { useConnectionQuality, type QualityWord } from '../hooks/use-connection-quality';
import { useElapsed } from '../hooks/use-elapsed';
import { useMediaDevices } from '../hooks/use-media-devices';
import { useTrackMuted } from '../hooks/use-track-muted';
import { formatClock } from './format';

const QUALITY_TEXT: Record<QualityWord, string> = {
  excellent: 'Connection: excellent',
  good: 'Connection: good',
  poor: 'Connection: poor — video may freeze',
  lost: 'Connection: lost — reconnecting',
  unknown: 'Connection: measuring…',
};

/**
 * Microphone and camera for one person, before and during the call: on/off toggles and device
 * choice act on the same local tracks (LiveKit mutes a published track for everyone and restarts
 * it on another device), so the pre-join choice carries into the call. With a room it also shows
 * the connection quality and the time in the call. `children` holds the page's Leave / End.
 */
export function CallControls({
  tracks,
  room = null,
  connectedAtMs = null,
  children,
}: {
  tracks: readonly LocalTrack[];
  room?: Room | null;
  connectedAtMs?: number | null;
  children?: ReactNode;
}) {
  const microphone = tracks.find((t) => t.kind === Track.Kind.Audio) ?? null;
  const camera = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
  return (
    <div className="call-controls" role="group" aria-label="Call controls">
      <MediaToggle track={microphone} kind="microphone" />
      <MediaToggle track={camera} kind="camera" />
      <DeviceSelect track={microphone} kind="audioinput" />
      <DeviceSelect track={camera} kind="videoinput" />
      {room && <CallStatus room={room} connectedAtMs={connectedAtMs} />}
      {children && <div className="call-actions">{children}</div>}
    </div>
  );
}

function MediaToggle({ track, kind }: { track: LocalTrack | null; kind: 'microphone' | 'camera' }) {
  const muted = useTrackMuted(track);
  const [busy, setBusy] = useState(false);
  const label =
    kind === 'microphone'
      ? muted
        ? 'Unmute microphone'
        : 'Mute microphone'
      : muted
        ? 'Turn camera on'
        : 'Turn camera off';
  const toggle = async (): Promise<void> => {
    if (!track) return;
    setBusy(true);
    try {
      if (track.isMuted) await track.unmute();
      else await track.mute();
    } catch (error) {
      console.warn(`${kind} toggle failed`, error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className={`toggle ${muted ? 'toggle-off' : 'toggle-on'}`}
      onClick={() => void toggle()}
      disabled={!track || busy}
    >
      {label}
    </button>
  );
}

function DeviceSelect({
  track,
  kind,
}: {
  track: LocalTrack | null;
  kind: 'audioinput' | 'videoinput';
}) {
  const devices = useMediaDevices(kind, track !== null);
  const id = useId();
  const [current, setCurrent] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const selected =
    current || track?.mediaStreamTrack.getSettings().deviceId || devices[0]?.deviceId || '';
  const noun = kind === 'audioinput' ? 'Microphone' : 'Camera';
  if (!track || devices.length === 0) return null;
  const choose = async (deviceId: string): Promise<void> => {
    setCurrent(deviceId);
    setError(null);
    try {
      // Restarts the track on the new device; a published track switches for the other side too.
      const ok = await track.setDeviceId({ exact: deviceId });
      if (!ok) setError(`This ${noun.toLowerCase()} could not be used.`);
    } catch (e) {
      console.warn(`${noun} switch failed`, e);
      setError(`This ${noun.toLowerCase()} could not be used.`);
    }
  };
  return (
    <div className="device-select">
      <label htmlFor={id}>{noun}</label>
      <select id={id} value={selected} onChange={(e) => void choose(e.target.value)}>
        {devices.map((d) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label}
          </option>
        ))}
      </select>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function CallStatus({ room, connectedAtMs }: { room: Room; connectedAtMs: number | null }) {
  const quality = useConnectionQuality(room);
  const elapsed = useElapsed(connectedAtMs);
  return (
    <p className="call-status">
      <span className={`quality quality-${quality}`}>{QUALITY_TEXT[quality]}</span>
      {elapsed !== null && (
        <span className="elapsed">
          {/* Not a live region: a per-second announcement would drown everything else. */}
          In call <time dateTime={`PT${Math.round(elapsed / 1000)}S`}>{formatClock(elapsed)}</time>
        </span>
      )}
    </p>
  );
}
