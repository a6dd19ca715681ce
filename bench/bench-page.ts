import { existsSync } from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { REPO_ROOT } from '../scripts/repo-paths';
import { BENCH_MODE } from '../vite.config';

/** The bench page's own build (the production build leaves it out). */
export const BENCH_DIST_DIR = path.join(REPO_ROOT, 'dist', 'bench');

/** Builds web/bench.html with vite's bench mode into dist/bench. */
export async function buildBenchPage(): Promise<void> {
  await build({
    configFile: path.join(REPO_ROOT, 'vite.config.ts'),
    mode: BENCH_MODE,
    logLevel: 'warn',
  });
  if (!existsSync(path.join(BENCH_DIST_DIR, 'bench.html'))) {
    throw new Error(`${BENCH_DIST_DIR}/bench.html is missing after the bench build`);
  }
}
