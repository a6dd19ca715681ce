import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { REPO_ROOT } from '../../scripts/repo-paths';
import { E2E_API_KEY, startAppServer, type AppServer } from './support/app-server';
import { axeViolations } from './support/axe';
import { launchChromium, type ChromiumSession } from './support/chromium';
import { endInterview, joinInterview } from './support/interview-pages';
import { waitFor } from './support/wait-for';

/** Screenshots of every page at both sizes, for a person to look at (not compared by the test). */
const SHOTS_DIR = join(REPO_ROOT, 'dist', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function shoot(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [
    ['1280x800', DESKTOP],
    ['390x844', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(SHOTS_DIR, `${name}-${size}.png`), fullPage: true });
    // Nothing may be wider than a phone screen: no sideways scrolling.
    if (size === '390x844') {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize(DESKTOP);
}

async function expectNoAxeViolations(page: Page, state: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${state}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** The rendered text of a flag's time on a page's Flags list. */
async function firstFlagTime(page: Page, kind: string): Promise<string> {
  return (
    (await page
      .getByRole('list', { name: 'Flags in time order' })
      .locator(`li[data-kind="${kind}"] .flag-time`)
      .first()
      .textContent()) ?? ''
  );
}

/**
 * The room as people use it, in real Chromium against the real LiveKit and server: call controls,
 * leave and rejoin, ending with confirmation (interviewer only), fullscreen return, flag review
 * live and after the interview, axe-core on every main page state, and screenshots at 1280x800
 * and 390x844.
 */
describe('room UI', () => {
  let app: AppServer;
  let candidate: ChromiumSession;
  let interviewer: ChromiumSession;

  beforeAll(async () => {
    await mkdir(SHOTS_DIR, { recursive: true });
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

  test('dashboard: create, search by reference and status, copy feedback, accessible at both sizes', async () => {
    await app.createInterview('ats-dash-search-01');
    await app.createInterview('ats-dash-other-02');
    const page = await interviewer.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${app.url}/`);
    await page.getByLabel('API key').fill(E2E_API_KEY);
    await page.getByLabel('Candidate reference', { exact: true }).fill('ats-dash-search-01');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('cell', { name: 'ats-dash-search-01' }).waitFor({ timeout: 5_000 });
    expect(await page.getByRole('cell', { name: 'ats-dash-other-02' }).count()).toBe(0);
    await page.getByLabel('Candidate reference', { exact: true }).fill('');
    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No interviews match.').waitFor({ timeout: 5_000 });

    await page.getByLabel('Candidate reference (hash)').fill('ats-dash-new-0003');
    await page.getByRole('button', { name: 'Create interview' }).click();
    await page.getByRole('button', { name: 'Copy candidate link' }).click();
    // A plain-http origin may have no clipboard: either outcome must be said, never silence.
    await page
      .locator('.copy-status')
      .filter({ hasText: /Copied|Copy failed/ })
      .first()
      .waitFor({ timeout: 5_000 });
    await expectNoAxeViolations(page, 'dashboard');
    await shoot(page, 'dashboard');
    await page.close();
  });

  test('a call with mute, camera off, device choice, leave and rejoin, end by the interviewer only, and review', async () => {
    const iv = await app.createInterview('ats-room-ui-0001');
    const candidatePage = await candidate.newPage();
    const interviewerPage = await interviewer.newPage();

    // Pre-join at 1366x768: the Join button is in view without scrolling.
    await candidatePage.setViewportSize({ width: 1366, height: 768 });
    await candidatePage.goto(iv.candidate_url);
    const join = candidatePage.getByRole('button', { name: 'Join interview' });
    await waitFor(() => join.isEnabled(), 20_000, 'the Join button to be enabled');
    const box = await join.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(768);
    expect(await candidatePage.getByRole('button', { name: 'Mute microphone' }).count()).toBe(1);
    await expectNoAxeViolations(candidatePage, 'candidate pre-join');
    await shoot(candidatePage, 'candidate-prejoin');
    await join.click();
    await joinInterview(interviewerPage, iv.interviewer_url);

    // The candidate has Leave but no End.
    await candidatePage.getByRole('button', { name: 'Leave' }).waitFor({ timeout: 20_000 });
    expect(await candidatePage.getByRole('button', { name: 'End interview' }).count()).toBe(0);
    await interviewerPage.getByRole('button', { name: 'End interview' }).waitFor();
    await interviewerPage.getByText('Candidate connected').waitFor({ timeout: 30_000 });

    // Fullscreen: out of it, the candidate gets a visible way back, and the flag closes on return.
    await candidatePage.evaluate(() => document.exitFullscreen().catch(() => undefined));
    const back = candidatePage.getByRole('button', { name: 'Return to full screen' });
    await back.waitFor({ timeout: 10_000 });
    await back.click();
    await back.waitFor({ state: 'detached', timeout: 10_000 });
    await waitFor(
      async () => {
        const events = (await app.server.interviews.record(iv.id)).events.filter(
          (e) => e.kind === 'fullscreen_exit',
        );
        return events.length > 0 && events.some((e) => e.phase === 'end') ? true : undefined;
      },
      15_000,
      'the fullscreen_exit flag to close on return',
      250,
    );

    // Microphone mute: shown to the interviewer, a measurement flag that costs nothing.
    await candidatePage.getByRole('button', { name: 'Mute microphone' }).click();
    await candidatePage.getByRole('button', { name: 'Unmute microphone' }).waitFor();
    await interviewerPage.getByText('Candidate’s microphone is muted').waitFor({ timeout: 10_000 });
    // Camera off: shown live with its duration.
    await candidatePage.getByRole('button', { name: 'Turn camera off' }).click();
    await interviewerPage
      .getByText(/Candidate’s camera is off \(\d+:\d\d\)/)
      .waitFor({ timeout: 10_000 });
    await waitFor(
      () => {
        const live = app.server.interviews.liveState(iv.id);
        const mic = live.flags.find((f) => f.kind === 'microphone_muted');
        const cam = live.flags.find((f) => f.kind === 'camera_muted');
        return mic && cam ? { mic, cam, live } : undefined;
      },
      10_000,
      'the mute flags',
      250,
    ).then(({ mic, live }) => {
      expect(mic.category).toBe('measurement');
      expect(
        live.score.contributions.some((c) => c.type === 'penalty' && c.kind === 'microphone_muted'),
      ).toBe(false);
    });
    await candidatePage.getByRole('button', { name: 'Turn camera on' }).click();
    await candidatePage.getByRole('button', { name: 'Unmute microphone' }).click();
    await interviewerPage
      .getByText('Candidate’s microphone is muted')
      .waitFor({ state: 'detached', timeout: 10_000 });

    // Device choice during the call: Chromium's fake devices include several microphones.
    const micSelect = candidatePage.getByRole('combobox', { name: 'Microphone' });
    const options = await micSelect
      .locator('option')
      .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(options.length).toBeGreaterThan(0);
    const other = options[options.length - 1] ?? '';
    await micSelect.selectOption(other);
    expect(await micSelect.inputValue()).toBe(other);
    expect(
      await candidatePage.getByRole('alert').filter({ hasText: 'could not be used' }).count(),
    ).toBe(0);
    await candidatePage.getByText(/In call \d+:\d\d/).waitFor();
    await candidatePage.getByText(/Connection: /).waitFor();

    // The meter has data; the live view is clean for axe; screenshots of both rooms.
    await interviewerPage
      .getByRole('meter', { name: 'Confidence score' })
      .waitFor({ timeout: 45_000 });
    await interviewerPage
      .locator('li[data-kind="fullscreen_exit"]')
      .first()
      .waitFor({ timeout: 10_000 });
    await expectNoAxeViolations(interviewerPage, 'interviewer room');
    await expectNoAxeViolations(candidatePage, 'candidate room');
    await shoot(interviewerPage, 'interviewer-room');
    await shoot(candidatePage, 'candidate-room');

    // Review live: focus stays on the button, its state is aria-pressed, the record keeps the note.
    const liveTime = await firstFlagTime(interviewerPage, 'fullscreen_exit');
    const confirm = interviewerPage
      .locator('li[data-kind="fullscreen_exit"]')
      .first()
      .getByRole('button', { name: /^Confirm/ });
    await interviewerPage
      .locator('li[data-kind="fullscreen_exit"]')
      .first()
      .getByRole('textbox')
      .fill('left fullscreen at the start');
    await confirm.focus();
    await interviewerPage.keyboard.press('Enter');
    await waitFor(
      async () => ((await confirm.getAttribute('aria-pressed')) === 'true' ? true : undefined),
      10_000,
      'the confirmed state',
    );
    expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await app.server.interviews.record(iv.id)).reviews.map((r) => r.note)).toContain(
      'left fullscreen at the start',
    );

    // Leave and rejoin with the same link: the interview stays open.
    await candidatePage.getByRole('button', { name: 'Leave' }).click();
    await candidatePage.getByText('You left the interview. It is still open').waitFor();
    await interviewerPage.getByText('Waiting for the candidate…').waitFor({ timeout: 20_000 });
    expect(app.server.interviews.isLive(iv.id)).toBe(true);
    await candidatePage.getByRole('button', { name: 'Join again' }).click();
    await candidatePage.getByRole('button', { name: 'Leave' }).waitFor({ timeout: 20_000 });
    await interviewerPage.getByText('Candidate connected').waitFor({ timeout: 20_000 });

    // End: Cancel changes nothing; confirming ends it for both.
    await interviewerPage.getByRole('button', { name: 'End interview' }).click();
    await interviewerPage.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(app.server.interviews.isLive(iv.id)).toBe(true);
    await endInterview(interviewerPage);
    await interviewerPage.waitForURL(/\/report$/, { timeout: 20_000 });
    await candidatePage
      .getByRole('heading', { name: 'Interview completed' })
      .waitFor({ timeout: 20_000 });
    expect((await app.readRecord(iv.id)).completed_by).toBe('interviewer');

    // The report: the same clock as the live view, and review after the interview.
    await interviewerPage
      .getByRole('heading', { name: 'Interview report' })
      .waitFor({ timeout: 10_000 });
    expect(await firstFlagTime(interviewerPage, 'fullscreen_exit')).toBe(liveTime);
    await expectNoAxeViolations(interviewerPage, 'report');
    await shoot(interviewerPage, 'report');
    const before = (await app.readRecord(iv.id)).interview_summary?.flags.fullscreen_exit.dismissed;
    const dismiss = interviewerPage
      .locator('li[data-kind="fullscreen_exit"]')
      .first()
      .getByRole('button', { name: /^Dismiss/ });
    await dismiss.click();
    await waitFor(
      async () => ((await dismiss.getAttribute('aria-pressed')) === 'true' ? true : undefined),
      10_000,
      'the dismissed state on the report',
    );
    const after = await app.readRecord(iv.id);
    expect(after.interview_summary?.flags.fullscreen_exit.dismissed).toBe((before ?? 0) + 1);
    await shoot(candidatePage, 'candidate-completed');

    // The dashboard's read-only report by id.
    const dash = await interviewer.newPage();
    await dash.goto(`${app.url}/`);
    await dash.evaluate(
      (key) => sessionStorage.setItem('live-interview.api-key', key),
      E2E_API_KEY,
    );
    await dash.goto(`${app.url}/interviews/${iv.id}`);
    await dash.getByRole('heading', { name: 'Interview report' }).waitFor({ timeout: 10_000 });
    await shoot(dash, 'dashboard-report');
    await dash.close();
  });
});
