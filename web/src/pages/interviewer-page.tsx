import { useCallback, useEffect, useMemo, useState } from 'react';
import { Track, type LocalTrack } from 'livekit-client';
import type { JoinResponse } from '../../../shared/api/interview-api';
import { api } from '../api/api-client';
import { joinErrorMessage } from '../api/plain-errors';
import { CallControls } from '../components/call-controls';
import { ConfidenceMeter } from '../components/confidence-meter';
import { EndInterviewButton } from '../components/end-interview-button';
import { FlagList, type OnReview } from '../components/flag-list';
import { flagPoints } from '../components/flag-points';
import { formatClock } from '../components/format';
import { IdentityTrace } from '../components/identity-trace';
import { ScoreChart } from '../components/score-chart';
import { ErrorMessage, Progress } from '../components/status-message';
import { RecordingStatus } from '../components/recording-status';
import { RoomHeader } from '../components/room-header';
import { RoomStatus } from '../components/room-status';
import { TrackAudio, TrackVideo } from '../components/track-video';
import { useElapsed } from '../hooks/use-elapsed';
import { useInterviewRoom, type InterviewRoom } from '../hooks/use-interview-room';
import { LinkGate } from './link-gate';
import { useLiveState } from '../hooks/use-live-state';
import { useLocalMedia } from '../hooks/use-local-media';
import { useSpeakerReports } from '../hooks/use-speaker-reports';
import { QuestionEvidence } from '../components/question-evidence';

export function InterviewerPage({ token }: { token: string }) {
  const reportHref = `/i/${token}/report`;
  return (
    <LinkGate token={token}>
      {(info) =>
        info.status === 'completed' ? (
          <GoToReport href={reportHref} />
        ) : (
          <InterviewerSession token={token} />
        )
      }
    </LinkGate>
  );
}

/** Pre-join (camera check, device choice) and the call; Leave comes back here. */
function InterviewerSession({ token }: { token: string }) {
  const media = useLocalMedia(true);
  const [join, setJoin] = useState<JoinResponse | null>(null);
  const [joining, setJoining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState(false);
  const tracks = useMemo<LocalTrack[]>(
    () => (media.phase === 'ready' ? media.tracks : []),
    [media],
  );

  const onJoin = useCallback(async () => {
    setError(null);
    setJoining(true);
    try {
      setJoin(await api.join(token));
    } catch (e) {
      setError(joinErrorMessage(e, 'interviewer'));
    } finally {
      setJoining(false);
    }
  }, [token]);
  const onLeft = useCallback(() => {
    setJoin(null);
    setLeft(true);
  }, []);

  if (join) {
    return (
      <InterviewerRoom
        join={join}
        token={token}
        tracks={tracks}
        mediaError={media.phase === 'failed' ? media.message : null}
        onLeft={onLeft}
      />
    );
  }
  const preview = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
  return (
    <main className="page">
      <h1>Interviewer</h1>
      {left && (
        <p className="notice-banner" role="status">
          You left the call. The interview is still open: join again, or end it from the call.
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
              {media.message} You can still join; the candidate will not see or hear you.{' '}
              <button type="button" onClick={media.retry}>
                Try again
              </button>
            </ErrorMessage>
          )}
          <TrackVideo track={preview} label="Camera preview" mirrored />
          <CallControls tracks={tracks} />
          {error && <ErrorMessage>{error}</ErrorMessage>}
          {joining && <Progress label="Opening the interview room…" value={null} max={null} />}
          <button
            type="button"
            className="primary join-button"
            onClick={() => void onJoin()}
            disabled={joining || media.phase === 'requesting' || media.phase === 'idle'}
          >
            {left ? 'Join again' : 'Join interview'}
          </button>
        </section>
        <section className="panel prejoin-info" aria-labelledby="about-heading">
          <h2 id="about-heading">What you will see</h2>
          <p>
            The candidate’s video beside a live confidence score and the flag log. The score is
            integrity evidence for you to review (100 means nothing was flagged); it is not the
            candidate’s self-confidence, not a decision, and it never judges emotions or
            personality. Confirm or dismiss each flag, with a note if you like; you can also do that
            later from the report.
          </p>
          <p>
            <strong>Leave</strong> steps out of the call; the interview stays open.{' '}
            <strong>End interview</strong> closes it for both of you and writes the report.
          </p>
        </section>
      </div>
    </main>
  );
}

function InterviewerRoom({
  join,
  token,
  tracks,
  mediaError,
  onLeft,
}: {
  join: JoinResponse;
  token: string;
  tracks: LocalTrack[];
  mediaError: string | null;
  onLeft: () => void;
}) {
  const room = useInterviewRoom(join, tracks);
  const feed = useLiveState(token, true);
  useSpeakerReports(room.room, token);
  const [reviewError, setReviewError] = useState<string | null>(null);
  const reportHref = `/i/${token}/report`;
  const camera = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
  const live = feed.live;
  const points = useMemo(() => (live ? flagPoints(live.score.flagPoints) : undefined), [live]);

  const onReview = useCallback<OnReview>(
    async (flagId, decision, note) => {
      setReviewError(null);
      try {
        await api.review(token, flagId, { decision, ...(note ? { note } : {}) });
      } catch (e) {
        console.warn('review failed', e);
        setReviewError('The decision was not saved. Check your connection and try again.');
        throw e;
      }
    },
    [token],
  );

  if (feed.completed || (room.phase === 'ended' && room.endedBecauseCompleted))
    return <GoToReport href={reportHref} />;
  const hasData = (live?.samples_received ?? 0) > 0 || (live?.flags.length ?? 0) > 0;
  // One clock with the report: times since the interview's start on the candidate's clock.
  const startMs = live?.start_ms ?? 0;
  return (
    <main className="page wide room-page">
      <RoomHeader tracks={tracks} room={room} onLeft={onLeft}>
        <EndInterviewButton token={token} onEnded={() => openReport(reportHref)} />
      </RoomHeader>
      <RoomStatus room={room} onRejoin={onLeft} />
      <RecordingStatus live={feed.live} />
      {mediaError && (
        <ErrorMessage>{mediaError} The candidate will not see or hear you.</ErrorMessage>
      )}
      <div className="interviewer-layout">
        <div className="videos">
          <TrackVideo track={room.remoteVideo} label="Candidate video" />
          <TrackAudio track={room.remoteAudio} />
          <CandidateMediaState
            connected={live?.candidate_connected ?? false}
            speaking={live?.active_speakers.includes('candidate') ?? false}
            room={room}
          />
          <div className="self-view">
            <TrackVideo track={camera} label="Your camera" mirrored />
          </div>
        </div>
        <div className="side">
          <ConfidenceMeter result={live?.score ?? null} hasData={hasData} />
          {reviewError && <ErrorMessage>{reviewError}</ErrorMessage>}
          <QuestionEvidence questions={live?.questions} startMs={startMs} />
          <FlagList
            flags={live?.flags ?? []}
            startMs={startMs}
            points={points}
            onReview={onReview}
          />
          <ScoreChart points={live?.timeline ?? []} startMs={startMs} />
          <IdentityTrace identity={live?.identity} flags={live?.flags ?? []} startMs={startMs} />
        </div>
      </div>
    </main>
  );
}

/**
 * The candidate's side of the call in words: connected or not, speaking, microphone muted (shown,
 * never penalised) and camera off with how long (scored like an absent face beyond 10 s).
 */
function CandidateMediaState({
  connected,
  speaking,
  room,
}: {
  connected: boolean;
  speaking: boolean;
  room: Pick<InterviewRoom, 'remoteCameraOffSinceMs' | 'remoteMicrophoneMuted'>;
}) {
  const cameraOffMs = useElapsed(room.remoteCameraOffSinceMs);
  return (
    <ul className="candidate-state" aria-label="Candidate">
      <li>{connected ? 'Candidate connected' : 'Waiting for the candidate…'}</li>
      {connected && speaking && <li>Candidate speaking</li>}
      {room.remoteMicrophoneMuted && (
        <li className="state-note">Candidate’s microphone is muted</li>
      )}
      {cameraOffMs !== null && (
        <li className="state-warn">Candidate’s camera is off ({formatClock(cameraOffMs)})</li>
      )}
    </ul>
  );
}

let openingReport: string | null = null;
/**
 * Navigates to the report once, however many signals say the interview ended (the End button,
 * the live feed, the room closing): a second navigation to the same page would abort the first.
 */
function openReport(href: string): void {
  if (openingReport === href) return;
  openingReport = href;
  window.location.assign(href);
}

/** Once the interview is completed the interviewer's place is the report. */
function GoToReport({ href }: { href: string }) {
  useEffect(() => {
    openReport(href);
  }, [href]);
  return (
    <main className="page narrow">
      <p role="status">
        The interview is completed. <a href={href}>Opening the report…</a>
      </p>
    </main>
  );
}
