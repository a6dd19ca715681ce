import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startAppServer, type AppServer } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import {
  audioSamplesReceived,
  endInterview,
  joinInterview,
  preparePage,
  waitForDecodedVideo,
} from './support/interview-pages';
import { waitFor } from './support/wait-for';

/**
 * The foundation, end to end on real parts: two headless Chromium processes with fake cameras,
 * the real LiveKit server, the real app server with its hidden rtc-node recorder.
 */
describe('interview room', () => {
  let app: AppServer;
  let candidate: ChromiumSession;
  let interviewer: ChromiumSession;

  beforeAll(async () => {
    app = await startAppServer();
    const clips = inject('clips');
    [candidate, interviewer] = await Promise.all([
      launchChromium({ fakeVideo: clips.astronaut }),
      launchChromium({ fakeVideo: clips.empty }),
    ]);
  });

  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed part-way */
    await Promise.allSettled([candidate?.close(), interviewer?.close()]);
    await app?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  test('healthz is ready with LiveKit and the recorder up', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, livekit: true, recorder: true });
  });

  test("both sides see each other, the recorder stores the candidate's data, completion writes the JSON", async () => {
    const iv = await app.createInterview('e2e-candidate-room');
    const candidatePage = await candidate.newPage();
    const interviewerPage = await interviewer.newPage();
    await Promise.all([preparePage(candidatePage), preparePage(interviewerPage)]);

    await candidatePage.goto(iv.candidate_url);
    // The candidate is told what is analysed before joining.
    await candidatePage
      .getByRole('heading', { name: /What this interview checks/ })
      .waitFor({ timeout: 10_000 });
    await joinInterview(candidatePage, iv.candidate_url);
    await joinInterview(interviewerPage, iv.interviewer_url);

    // The interviewer's live view: the meter beside the candidate's video.
    await interviewerPage
      .getByRole('meter', { name: 'Confidence score' })
      .waitFor({ timeout: 20_000 });
    const candidateVideo = interviewerPage.getByLabel('Candidate video');
    await candidateVideo.waitFor({ timeout: 20_000 });
    expect(await candidateVideo.evaluate((el) => el.tagName)).toBe('VIDEO');

    const interviewerDecoded = await waitForDecodedVideo(interviewerPage, 'the interviewer');
    const candidateDecoded = await waitForDecodedVideo(candidatePage, 'the candidate');
    expect(interviewerDecoded).toBeGreaterThan(0);
    expect(candidateDecoded).toBeGreaterThan(0);
    // Two-way conversation: each side also receives the other's microphone.
    for (const [page, who] of [
      [interviewerPage, 'interviewer'],
      [candidatePage, 'candidate'],
    ] as const) {
      await waitFor(
        async () => ((await audioSamplesReceived(page)) > 0 ? true : undefined),
        20_000,
        `the ${who} to receive audio`,
      );
    }

    // The hidden recorder receives the candidate's packets over the data channel.
    const live = await waitFor(
      () => {
        const record = app.server.interviews.isLive(iv.id)
          ? app.server.interviews.liveState(iv.id)
          : null;
        return record && record.samples_received >= 3 ? record : undefined;
      },
      45_000,
      'the recorder to store three metric samples',
    );
    expect(live.status).toBe('live');
    // Who speaks, from LiveKit's active speakers as the interviewer's page hears the fake microphones.
    await waitFor(
      async () =>
        app.server.interviews.liveState(iv.id).active_speakers.length > 0 ||
        (await app.server.interviews.record(iv.id)).speakers.length > 0,
      30_000,
      'an active speaker to be reported',
    );

    // Interviewer completes; both sides see the end; the final JSON holds the samples.
    await endInterview(interviewerPage);
    await interviewerPage.waitForURL(/\/report$/, { timeout: 20_000 });
    await candidatePage
      .getByRole('heading', { name: 'Interview completed' })
      .waitFor({ timeout: 20_000 });
    const record = await app.readRecord(iv.id);
    expect(record.status).toBe('completed');
    expect(record.completed_by).toBe('interviewer');
    expect(record.samples.length).toBeGreaterThanOrEqual(3);
    expect(record.samples.every((s) => s.stream === record.samples[0]?.stream)).toBe(true);
    expect(record.interview_summary?.final_score).toBeGreaterThanOrEqual(0);
    expect(record.speakers.length).toBeGreaterThan(0);
    // No frames, landmarks or face templates in the record.
    expect(JSON.stringify(record)).not.toMatch(/landmark|data:image|base64/i);
    await interviewerPage
      .getByRole('heading', { name: 'Interview report' })
      .waitFor({ timeout: 10_000 });
  });
});
