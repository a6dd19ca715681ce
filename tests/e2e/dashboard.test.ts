import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { E2E_API_KEY, startAppServer, type AppServer } from './support/app-server';
import { launchChromium, type ChromiumSession } from './support/chromium';

/** The web dashboard at `/`: creating and listing interviews with the API key. */
describe('dashboard', () => {
  let app: AppServer;
  let browser: ChromiumSession;
  beforeAll(async () => {
    app = await startAppServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    /* eslint-disable @typescript-eslint/no-unnecessary-condition -- unset if beforeAll failed part-way */
    await browser?.close();
    await app?.close();
    /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  });

  test('a wrong key gets a readable error and creates nothing', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    await page.getByLabel('API key').fill('not-the-right-key-000');
    await page.getByLabel('Candidate reference (hash)').fill('cand-dash-0001');
    await page.getByRole('button', { name: 'Create interview' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong API key' }).waitFor({ timeout: 5_000 });
    expect((await app.server.interviews.list()).interviews).toEqual([]);
    await page.close();
  });

  test('creates an interview, shows both links once and lists it', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    await page.getByLabel('API key').fill(E2E_API_KEY);
    await page.getByLabel('Candidate reference (hash)').fill('cand-dash-0002');
    await page.getByRole('button', { name: 'Create interview' }).click();
    const candidateLink = page.getByLabel('Candidate link', { exact: true });
    await candidateLink.waitFor({ timeout: 5_000 });
    expect(await candidateLink.inputValue()).toMatch(/\/c\/[A-Za-z0-9_-]{43}$/);
    expect(await page.getByLabel('Interviewer link', { exact: true }).inputValue()).toMatch(
      /\/i\/[A-Za-z0-9_-]{43}$/,
    );
    await page.getByRole('cell', { name: 'cand-dash-0002' }).waitFor({ timeout: 5_000 });
    expect((await app.server.interviews.list()).interviews.map((i) => i.candidate_hash)).toEqual([
      'cand-dash-0002',
    ]);

    // The candidate link opens the pre-join screen.
    const candidate = await browser.newPage();
    await candidate.goto(await candidateLink.inputValue());
    await candidate.getByRole('heading', { name: 'Before you join' }).waitFor({ timeout: 10_000 });
  });

  test('an unknown link says so in plain words', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/c/${'A'.repeat(43)}`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'This interview link is not valid' })
      .waitFor({ timeout: 5_000 });
  });
});
