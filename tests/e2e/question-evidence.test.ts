import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startAppServer, type AppServer } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { endInterview, joinInterview, preparePage } from './support/interview-pages';
import { scriptedSpeech } from './support/speech';
import { waitFor } from './support/wait-for';

/**
 * Questions and answers from the conversation, end to end: each side's fake microphone plays
 * scripted speech (espeak-ng), the interviewer asks, pauses, the candidate answers; LiveKit's
 * active speakers reach the server from both pages, and per-question evidence appears in the
 * interviewer's live view and in the report.
 */
describe('question evidence', () => {
  let app: AppServer;
  let candidate: ChromiumSession;
  let interviewer: ChromiumSession;

  beforeAll(async () => {
    app = await startAppServer();
    // Both files loop with the same 24 s period: whatever their phase, each interviewer
    // question is followed by candidate speech within the loop.
    const [asks, answers] = await Promise.all([
      scriptedSpeech(
        'interviewer-asks',
        [
          { afterSilenceS: 1, text: 'Tell me about a project you are proud of.' },
          { afterSilenceS: 9, text: 'How did you test it?' },
        ],
        9.5,
      ),
      scriptedSpeech(
        'candidate-answers',
        [
          { afterSilenceS: 5, text: 'I built a small scheduler for our build machines.' },
          { afterSilenceS: 8, text: 'With unit tests and a staging cluster.' },
        ],
        5.5,
      ),
    ]);
    const clips = inject('clips');
    [candidate, interviewer] = await Promise.all([
      launchChromium({
        fakeVideo: clips.astronaut,
        extraArgs: [`--use-file-for-fake-audio-capture=${answers}`],
      }),
      launchChromium({
        fakeVideo: clips.empty,
        extraArgs: [`--use-file-for-fake-audio-capture=${asks}`],
      }),
    ]);
  });

  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed part-way */
    await Promise.allSettled([candidate?.close(), interviewer?.close()]);
    await app?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  test('per-question evidence appears live and in the report', async () => {
    const iv = await app.createInterview('e2e-question-evidence');
    const candidatePage = await candidate.newPage();
    const interviewerPage = await interviewer.newPage();
    await Promise.all([preparePage(candidatePage), preparePage(interviewerPage)]);
    await joinInterview(candidatePage, iv.candidate_url);
    await joinInterview(interviewerPage, iv.interviewer_url);

    // Live: a question with its answer's onset latency, in plain words.
    const questions = interviewerPage.getByRole('region', { name: 'Questions' });
    await waitFor(
      async () => {
        const text = await questions.textContent().catch(() => '');
        return /Q\d+: .*answer began after \d+\.\d s/.test(text ?? '') ? true : undefined;
      },
      75_000,
      'a question and its answer in the interviewer view',
    );
    const live = app.server.interviews.liveState(iv.id);
    const answered = (live.questions ?? []).filter((q) => q.onsetLatencyMs !== null);
    expect(answered.length).toBeGreaterThan(0);
    for (const q of answered) {
      // The answer starts after the question began (0 latency when they overlap it).
      expect(q.answerStartMs).toBeGreaterThan(q.askedAtMs);
      expect(q.onsetLatencyMs).toBeGreaterThanOrEqual(0);
      expect(q.onsetLatencyMs).toBeLessThan(30_000);
    }

    // The report carries the same evidence after completion.
    await endInterview(interviewerPage);
    await interviewerPage.waitForURL(/\/report$/, { timeout: 20_000 });
    await interviewerPage
      .getByRole('heading', { name: 'Interview report' })
      .waitFor({ timeout: 10_000 });
    const reportQuestions = interviewerPage.getByRole('region', { name: 'Questions' });
    await reportQuestions
      .getByText(/Q\d+: .*answer began after/)
      .first()
      .waitFor({ timeout: 10_000 });
    const record = await app.readRecord(iv.id);
    expect((record.questions ?? []).length).toBeGreaterThan(0);
    expect(record.speakers.some((s) => s.role === 'interviewer')).toBe(true);
    expect(record.speakers.some((s) => s.role === 'candidate')).toBe(true);
  });
});
