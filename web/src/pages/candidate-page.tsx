import { useCallback, useMemo, useRef, useState } from 'react';
import { LocalVideoTrack, Track, type LocalTrack } from 'livekit-client';
import type { JoinResponse, LinkInfo } from '../../../shared/api/interview-api';
import { api } from '../api/api-client';
import { joinErrorMessage } from '../api/plain-errors';
import { CallControls } from '../components/call-controls';
import { ErrorMessage, Progress } from '../components/status-message';
import { IdentityConsent } from '../components/identity-consent';
import { RoomHeader } from '../components/room-header';
import { RoomStatus } from '../components/room-status';
import { TrackAudio, TrackVideo } from '../components/track-video';
import { VirtualCameraWarning } from '../components/virtual-camera-warning';
import { useFullscreen } from '../hooks/use-fullscreen';
import { useInterviewRoom } from '../hooks/use-interview-room';
import { useSpeakerReports } from '../hooks/use-speaker-reports';
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
          <CandidateSession token={token} info={info} />
        )
      }
    </LinkGate>
  );
}

/**
 * Pre-join and call for one candidate. Leaving returns here with the same camera and
 * microphone, and joining again uses the same link: only the interviewer ends the interview.
 */
function CandidateSession({ token, info }: { token: string; info: LinkInfo }) {
  const media = useLocalMedia(true);
  const [join, setJoin] = useState<JoinResponse | null>(null);
  const [joining, setJoining] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [left, setLeft] = useState(false);
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
      setJoinError(joinErrorMessage(error, 'candidate'));
    } finally {
      setJoining(false);
    }
  }, [token, identityCheck, identityConsent]);
  const onLeft = useCallback(() => {
    setJoin(null);
    setLeft(true);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent on iPhone Safari
    if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => undefined);
  }, []);

  if (join)
    return (
      <CandidateRoom
        join={join}
        tracks={tracks}
        token={token}
        settings={settings}
        identityCheck={identityCheck}
        onLeft={onLeft}
      />
    );

  const preview = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
  return (
    <main className="page">
      <h1>Before you join</h1>
      {left && (
        <p className="notice-banner" role="status">
          You left the interview. It is still open: join again whenever you are ready.
        </p>
      )}
      <div className="prejoin">
        <section className="panel prejoin-media" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Your camera and microphone</h2>
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
          <CallControls tracks={tracks} />
          {identityCheck && (
            <IdentityConsent agreed={identityConsent} onChange={setIdentityConsent} />
          )}
          {joinError && <ErrorMessage>{joinError}</ErrorMessage>}
          {joining && <Progress label="Opening the interview room…" value={null} max={null} />}
          <button
            type="button"
            className="primary join-button"
            onClick={() => void onJoin()}
            disabled={
              joining ||
              media.phase === 'requesting' ||
              media.phase === 'idle' ||
              (identityCheck && !identityConsent)
            }
          >
            {joining ? 'Joining…' : left ? 'Join again' : 'Join interview'}
          </button>
          {media.phase === 'failed' && (
            <p className="muted">
              You can join without a camera; the interviewer will see that it is unavailable.
            </p>
          )}
        </section>
        <div className="prejoin-info">
          <CandidatePrivacyNotice retentionDays={info.retention_days} />
          <AnalysisSettingsForm value={settings} onChange={setSettings} />
        </div>
      </div>
    </main>
  );
}

function CandidateRoom({
  join,
  tracks,
  settings,
  token,
  identityCheck,
  onLeft,
}: {
  join: JoinResponse;
  tracks: LocalTrack[];
  settings: AnalysisSettings;
  token: string;
  identityCheck: boolean;
  onLeft: () => void;
}) {
  // After a LiveKit outage the page rejoins by itself with a fresh token from the server; the
  // candidate's consent to the identity check (if any) was given before the first join.
  const roomOptions = useMemo(
    () => ({
      rejoin: () => api.join(token, identityCheck ? { identity_consent: true } : {}),
    }),
    [token, identityCheck],
  );
  const room = useInterviewRoom(join, tracks, roomOptions);
  useSpeakerReports(room.room, token);
  const fullscreen = useFullscreen();
  const selfView = useRef<HTMLVideoElement | null>(null);
  const [videoEl, setVideoEl] = useState<HTMLVideoElement | null>(null);
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

  // The interviewer ended the interview: the server closed the room.
  if (room.phase === 'ended' && room.endedBecauseCompleted) return <CompletedView />;

  return (
    <main className="page room-page">
      <RoomHeader tracks={tracks} room={room} onLeft={onLeft} />
      <RoomStatus room={room} onRejoin={onLeft} joiningLabel="Joining the interview room…" />
      {inCall && !fullscreen.isFullscreen && (
        <div className="warning fullscreen-return">
          <span>
            The interview asks for full screen; time outside it is noted for the interviewer.
          </span>{' '}
          <button type="button" className="primary" onClick={fullscreen.request}>
            Return to full screen
          </button>
        </div>
      )}
      <ul className="notices" aria-live="polite" aria-label="Notices">
        {monitor.notices.map((n) => (
          <li key={n.kind} className="notice-item">
            {n.message}
          </li>
        ))}
      </ul>
      <div className="room">
        <TrackVideo track={room.remoteVideo} label="Interviewer video" />
        <TrackAudio track={room.remoteAudio} />
        <div className="self-view">
          <SelfVideo track={camera} onElement={onSelfVideo} />
        </div>
      </div>
      <MonitorPanel status={monitor.status} onRecalibrate={monitor.recalibrate} />
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
  onRecalibrate,
}: {
  status: MonitorStatus | null;
  onRecalibrate: () => void;
}) {
  return (
    <section className="panel" aria-labelledby="monitor-heading">
      <h2 id="monitor-heading">On-device analysis</h2>
      {status?.phase === 'loading-model' && (
        <Progress
          label="Downloading the face analysis (once per browser):"
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
          Face analysis is unavailable on this device. The interview continues; the interviewer is
          told that this part could not be measured.
        </ErrorMessage>
      )}
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
