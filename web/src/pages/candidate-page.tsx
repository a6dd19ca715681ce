import { useCallback, useMemo, useRef, useState } from 'react';
import { LocalVideoTrack, Track, type LocalTrack } from 'livekit-client';
import type { JoinResponse, LinkInfo } from '../../../shared/api/interview-api';
import { api } from '../api/api-client';
import { ErrorMessage, Progress } from '../components/status-message';
import { CompleteInterviewButton } from '../components/complete-interview-button';
import { IdentityConsent } from '../components/identity-consent';
import { RoomStatus } from '../components/room-status';
import { TrackAudio, TrackVideo } from '../components/track-video';
import { VirtualCameraWarning } from '../components/virtual-camera-warning';
import { useInterviewRoom } from '../hooks/use-interview-room';
import { useLocalMedia } from '../hooks/use-local-media';
import { useCandidateMonitor } from '../monitor/use-candidate-monitor';
import type { CandidateMonitorOptions, MonitorStatus } from '../monitor/candidate-monitor';
import {
  AnalysisSettingsForm,
  DEFAULT_ANALYSIS_SETTINGS,
  policyFor,
  type AnalysisSettings,
} from './analysis-settings';
import { CandidatePrivacyNotice } from './candidate-notice';
import { CompletedView } from './completed-view';
import { LinkGate } from './link-gate';

export function CandidatePage({ token }: { token: string }) {
  return (
    <LinkGate token={token}>
      {(info) =>
        info.status === 'completed' ? (
          <CompletedView />
        ) : (
          <CandidatePrejoin token={token} info={info} />
        )
      }
    </LinkGate>
  );
}

function CandidatePrejoin({ token, info }: { token: string; info: LinkInfo }) {
  const media = useLocalMedia(true);
  const [join, setJoin] = useState<JoinResponse | null>(null);
  const [joining, setJoining] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [settings, setSettings] = useState<AnalysisSettings>(DEFAULT_ANALYSIS_SETTINGS);
  const identityCheck = info.identity_check === true;
  const [identityConsent, setIdentityConsent] = useState(false);

  const tracks = useMemo<LocalTrack[]>(
    () => (media.phase === 'ready' ? media.tracks : []),
    [media],
  );
  const onJoin = useCallback(async () => {
    setJoining(true);
    setJoinError(null);
    // Fullscreen needs the click's user gesture; refusing it is recorded, not blocking.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent on iPhone Safari although the DOM types declare it
    await document.documentElement.requestFullscreen?.().catch(() => undefined);
    try {
      setJoin(await api.join(token, identityCheck ? { identity_consent: identityConsent } : {}));
    } catch (error) {
      setJoinError((error as Error).message);
    } finally {
      setJoining(false);
    }
  }, [token, identityCheck, identityConsent]);

  if (join)
    return (
      <CandidateRoom
        join={join}
        tracks={tracks}
        token={token}
        settings={settings}
        identityCheck={identityCheck}
      />
    );

  const preview = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
  return (
    <main className="page">
      <h1>Before you join</h1>
      <div className="prejoin">
        <section className="panel" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Your camera</h2>
          {media.phase === 'requesting' && (
            <Progress label="Starting your camera and microphone…" value={null} max={null} />
          )}
          {media.phase === 'failed' && (
            <ErrorMessage>
              {media.message}{' '}
              <button type="button" onClick={media.retry}>
                Try again
              </button>
            </ErrorMessage>
          )}
          <TrackVideo track={preview} label="Camera preview" mirrored />
          <VirtualCameraWarning track={preview instanceof LocalVideoTrack ? preview : null} />
        </section>
        <CandidatePrivacyNotice retentionDays={info.retention_days} />
      </div>
      {identityCheck && <IdentityConsent agreed={identityConsent} onChange={setIdentityConsent} />}
      <AnalysisSettingsForm value={settings} onChange={setSettings} />
      {joinError && <ErrorMessage>{joinError}</ErrorMessage>}
      <button
        type="button"
        className="primary"
        onClick={() => void onJoin()}
        disabled={
          joining ||
          media.phase === 'requesting' ||
          media.phase === 'idle' ||
          (identityCheck && !identityConsent)
        }
      >
        {joining ? 'Joining…' : 'Join interview'}
      </button>
      {media.phase === 'failed' && (
        <p className="muted">
          You can join without a camera; the interviewer will see that it is unavailable.
        </p>
      )}
    </main>
  );
}

function CandidateRoom({
  join,
  tracks,
  token,
  settings,
  identityCheck,
}: {
  join: JoinResponse;
  tracks: LocalTrack[];
  token: string;
  settings: AnalysisSettings;
  identityCheck: boolean;
}) {
  const room = useInterviewRoom(join, tracks);
  const selfView = useRef<HTMLVideoElement | null>(null);
  const [videoEl, setVideoEl] = useState<HTMLVideoElement | null>(null);
  const [completed, setCompleted] = useState(false);
  const camera = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;

  // The monitor starts once per connection: phase flips between connected and reconnecting must
  // not restart it, so the memo keys on `inCall` rather than on the phase itself.
  const inCall = room.phase === 'connected' || room.phase === 'reconnecting';
  const onSelfVideo = useCallback((el: HTMLVideoElement | null) => {
    selfView.current = el;
    setVideoEl(el);
  }, []);

  const monitorOptions = useMemo<Omit<
    CandidateMonitorOptions,
    'onStatus' | 'onNotices'
  > | null>(() => {
    if (room.phase !== 'connected' || !room.room || !videoEl) return null;
    return {
      room: room.room,
      recorderIdentity: join.recorder_identity,
      video: videoEl,
      cameraTrack: camera?.mediaStreamTrack ?? null,
      requireFullscreen: true,
      delegate: settings.delegate,
      policy: policyFor(settings),
      identityCheck,
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- room.phase enters through inCall (see above)
  }, [room.room, inCall, videoEl, camera, settings, join.recorder_identity, identityCheck]);
  const monitor = useCandidateMonitor(monitorOptions);

  if (completed || (room.phase === 'ended' && room.endedBecauseCompleted)) return <CompletedView />;

  return (
    <main className="page">
      <h1>Interview</h1>
      <RoomStatus room={room} />
      <div className="room">
        <TrackVideo track={room.remoteVideo} label="Interviewer video" />
        <TrackAudio track={room.remoteAudio} />
        <div className="self-view">
          <SelfVideo track={camera} onElement={onSelfVideo} />
        </div>
      </div>
      <MonitorPanel
        status={monitor.status}
        notices={monitor.notices}
        onRecalibrate={monitor.recalibrate}
      />
      <CompleteInterviewButton token={token} onCompleted={() => setCompleted(true)} />
    </main>
  );
}

/** The candidate's own camera; the monitor reads frames from this element. */
function SelfVideo({
  track,
  onElement,
}: {
  track: LocalTrack | null;
  onElement: (el: HTMLVideoElement | null) => void;
}) {
  const ref = useCallback(
    (el: HTMLVideoElement | null) => {
      if (el && track) track.attach(el);
      onElement(el);
    },
    [track, onElement],
  );
  return (
    <video ref={ref} aria-label="Your camera" autoPlay playsInline muted className="mirrored" />
  );
}

function MonitorPanel({
  status,
  notices,
  onRecalibrate,
}: {
  status: MonitorStatus | null;
  notices: readonly { kind: string; message: string }[];
  onRecalibrate: () => void;
}) {
  return (
    <section className="panel" aria-labelledby="monitor-heading">
      <h2 id="monitor-heading">On-device analysis</h2>
      {status?.phase === 'loading-model' && (
        <Progress
          label={`Loading the face analysis model${status.totalBytes ? ` (${Math.round(status.loadedBytes / 1024)} of ${Math.round(status.totalBytes / 1024)} KB)` : '…'}`}
          value={status.loadedBytes}
          max={status.totalBytes}
        />
      )}
      {status?.phase === 'calibrating' && (
        <p role="status">
          Calibrating: look at the screen as you normally would (
          {Math.ceil(status.remainingMs / 1000)} s).
        </p>
      )}
      {status?.phase === 'running' && <p role="status">Analysis running on this device.</p>}
      {status?.phase === 'failed' && (
        <ErrorMessage>
          Face analysis is unavailable ({status.message}). The interview continues; this is recorded
          as a measurement gap.
        </ErrorMessage>
      )}
      <ul className="notices" aria-live="assertive" aria-label="Notices">
        {notices.map((n) => (
          <li key={n.kind} className="notice-item">
            {n.message}
          </li>
        ))}
      </ul>
      <button
        type="button"
        onClick={onRecalibrate}
        disabled={status?.phase !== 'running' && status?.phase !== 'calibrating'}
      >
        Recalibrate
      </button>
    </section>
  );
}
