/**
 * Development tool: plays each labelled scenario clip (../shared/scenarios, converted to Y4M in
 * .cache/scenarios) as the fake camera of the production landmarker worker (web/bench.html) and
 * writes every analysed frame's FrameFeatures to a JSON file, so detection rules can be replayed
 * offline against the labels (bench/scenario-replay.ts). Numbers only; no pixels are kept.
 *
 *   tsx bench/scenario-features.ts [--fps 10] [outDir] [clip ...]
 *
 * --fps is the analysis rate asked for (the product analyses at 10/s, 15/s while the candidate
 * speaks); the dump records the rate achieved.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { staticRoutes } from '../server/http/static-routes';
import { FACE_MODEL_PATH } from '../scripts/face-model';
import { REPO_ROOT } from '../scripts/repo-paths';
import type { FeatureDump } from '../web/src/bench/bench-main';
import { BENCH_DIST_DIR, buildBenchPage, serveBench } from './bench-page';

const Y4M_DIR = path.join(REPO_ROOT, '.cache', 'scenarios');

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { fps: { type: 'string', default: '10' } },
    allowPositionals: true,
  });
  const targetFps = Number(values.fps);
  if (!Number.isFinite(targetFps) || targetFps < 1 || targetFps > 30)
    throw new Error('--fps: 1..30');
  const [outDir = '/tmp/scenario-features', ...only] = positionals;
  await mkdir(outDir, { recursive: true });
  const files = readdirSync(Y4M_DIR).filter((f) => f.endsWith('.y4m'));
  await buildBenchPage();
  const server = await serveBench(
    staticRoutes({ webDistDir: BENCH_DIST_DIR, modelsDir: path.dirname(FACE_MODEL_PATH) }),
  );
  for (const file of files) {
    const clip = file.replace(/-\d+\.y4m$/, '');
    if (only.length > 0 && !only.includes(clip)) continue;
    if (existsSync(path.join(outDir, `${clip}.json`))) continue;
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${path.join(Y4M_DIR, file)}`,
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/bench.html`);
      await page.waitForFunction(() => window.trackingBench !== undefined);
      await page.evaluate(() => window.trackingBench?.setup('CPU'));
      const dump: FeatureDump | undefined = await page.evaluate(
        (fps) => window.trackingBench?.features({ targetFps: fps, durationMs: 37_000 }),
        targetFps,
      );
      if (dump === undefined) throw new Error('no dump');
      await writeFile(path.join(outDir, `${clip}.json`), JSON.stringify(dump));
      process.stderr.write(`${clip}: ${String(dump.frames.length)} frames\n`);
    } finally {
      await browser.close();
    }
  }
  await server.close();
}

await main();
