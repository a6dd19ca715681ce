import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve as honoServe, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
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

/** A loopback HTTP server for a bench page; `origin` is its base URL. */
export interface BenchServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves the caller's routes (e.g. the app's own static routes) on a free loopback port. The
 * bench builds have no index.html to fall back to, so the browser's favicon request is answered
 * first.
 */
export async function serveBench(addRoutes: (app: Hono) => void): Promise<BenchServer> {
  const app = new Hono();
  app.get('/favicon.ico', (c) => c.body(null, 204));
  addRoutes(app);
  const server: ServerType = await new Promise((resolve) => {
    const s = honoServe({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
