import { useCallback, useEffect, useMemo, useState } from 'react';
import { Track, type LocalTrack } from 'livekit-client';
import type { JoinResponse } from '../../../shared/api/interview-api';
import { api } from '../api/api-client';
import { ConfidenceMeter } from '../components/confidence-meter';
import { FlagList } from '../components/flag-list';
import { IdentityTrace } from '../components/identity-trace';
import { ScoreChart } from '../components/score-chart';
import { ErrorMessage, Progress } from '../components/status-message';
import { CompleteInterviewButton } from '../components/complete-interview-button';
import { RoomStatus } from '../components/room-status';
import { TrackAudio, TrackVideo } from '../components/track-video';
import { useInterviewRoom } from '../hooks/use-interview-room';
import { LinkGate } from './link-gate';
import { useLiveState } from '../hooks/use-live-state';
import { useLocalMedia } from '../hooks/use-local-media';
import { useSpeakerReports } from '../hooks/use-speaker-reports';

export function InterviewerPage({ token }: { token: string }) {
  const reportHref = `/i/${token}/report`;
  return (
    <LinkGate token={token}>
      {(info) =>
        info.status === 'completed' ? (
          <GoToReport href={reportHref} />
        ) : (
          <InterviewerPrejoin token={token} />
        )
      }
    </LinkGate>
  );
}

function InterviewerPrejoin({ token }: { token: string }) {
  const [wantsMedia, setWantsMedia] = useState(false);
  const media = useLocalMedia(wantsMedia);
  const [join, setJoin] = useState<JoinResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onJoin = useCallback(async () => {
    setError(null);
    setWantsMedia(true);
    try {
      setJoin(await api.join(token));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [token]);

  const mediaSettled = media.phase === 'ready' || media.phase === 'failed';
  if (join && mediaSettled) {
    return (
      <InterviewerRoom
        join={join}
        token={token}
        tracks={media.phase === 'ready' ? media.tracks : []}
        mediaError={media.phase === 'failed' ? media.message : null}
      />
    );
  }
  return (
    <main className="page narrow">
      <h1>Interviewer</h1>
      <p>
        You will see the candidate’s video beside a live confidence score and the flag log. The
        score summarises attention and integrity signals for you to review; it is not a decision,
        and it never judges emotions or personality. You can confirm or dismiss each flag.
      </p>
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {join && !mediaSettled && (
        <Progress label="Starting your camera and microphone…" value={null} max={null} />
      )}
      <button
        type="button"
        className="primary"
        onClick={() => void onJoin()}
        disabled={join !== null}
      >
        Join interview
      </button>
    </main>
  );
}

function InterviewerRoom({
  join,
  token,
  tracks,
  mediaError,
}: {
  join: JoinResponse;
  token: string;
  tracks: LocalTrack[];
  mediaError: string | null;
}) {
  const room = useInterviewRoom(join, tracks);
  const feed = useLiveState(token, true);
  useSpeakerReports(room.room, token);
  const [reviewError, setReviewError] = useState<string | null>(null);
  const reportHref = `/i/${token}/report`;
  const camera = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
  const startMs = useMemo(() => {
    const first = feed.live?.timeline[0]?.tMs ?? feed.live?.flags[0]?.startMs;
    return first ?? 0;
  }, [feed.live]);

  const onReview = (flagId: string, decision: 'confirmed' | 'dismissed'): void => {
    setReviewError(null);
    api
      .review(token, flagId, { decision })
      .catch((e: unknown) => setReviewError((e as Error).message));
  };

  if (feed.completed || (room.phase === 'ended' && room.endedBecauseCompleted))
    return <GoToReport href={reportHref} />;
  const live = feed.live;
  return (
    <main className="page wide">
      <h1>Interview</h1>
      <RoomStatus room={room} />
      {mediaError && (
        <ErrorMessage>{mediaError} The candidate will not see or hear you.</ErrorMessage>
      )}
      <div className="interviewer-layout">
        <div className="videos">
          <TrackVideo track={room.remoteVideo} label="Candidate video" />
          <TrackAudio track={room.remoteAudio} />
          <div className="self-view">
            <TrackVideo track={camera} label="Your camera" mirrored />
          </div>
          <p className="muted" role="status">
            {live?.candidate_connected ? 'Candidate connected.' : 'Waiting for the candidate…'}{' '}
            {live?.active_speakers.includes('candidate') ? 'Candidate speaking.' : ''}{' '}
            {live ? `${live.samples_received} samples received.` : ''}
          </p>
        </div>
        <div className="side">
          <ConfidenceMeter result={live?.score ?? null} />
          {reviewError && <ErrorMessage>{reviewError}</ErrorMessage>}
          <FlagList
            flags={live?.flags ?? []}
            startMs={startMs}
            onReview={onReview}
            points={live?.score.flagPoints}
          />
          <ScoreChart points={live?.timeline ?? []} startMs={startMs} />
          <IdentityTrace identity={live?.identity} flags={live?.flags ?? []} startMs={startMs} />
        </div>
      </div>
      <CompleteInterviewButton
        token={token}
        onCompleted={() => window.location.assign(reportHref)}
      />
    </main>
  );
}

/** Once the interview is completed the interviewer's place is the report. */
function GoToReport({ href }: { href: string }) {
  useEffect(() => {
    window.location.assign(href);
  }, [href]);
  return (
    <main className="page narrow">
      <p role="status">
        The interview is completed. <a href={href}>Opening the report…</a>
      </p>
    </main>
  );
}
