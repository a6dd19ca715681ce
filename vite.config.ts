import { defineConfig } from 'vite';

/**
 * The web app is built once and served by the Hono server (`npm start`), so the pages, the API,
 * the face model and MediaPipe's WebAssembly all come from one origin.
 *
 * The tracking benchmark page (web/bench.html) is not part of the production build: `npm run
 * bench` builds it itself with `--mode bench` into dist/bench (see bench/tracking-bench.ts).
 */
export const BENCH_MODE = 'bench';

export default defineConfig(({ mode }) => {
  const bench = mode === BENCH_MODE;
  const page = (file: string): string => new URL(`./web/${file}`, import.meta.url).pathname;
  return {
    root: 'web',
    base: '/',
    build: {
      outDir: bench ? '../dist/bench' : '../dist/web',
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: true,
      rolldownOptions: {
        input: (bench
          ? { bench: page('bench.html'), 'identity-bench': page('identity-bench.html') }
          : { main: page('index.html') }) as Record<string, string>,
      },
    },
    worker: { format: 'es' },
    server: {
      proxy: {
        '/api': 'http://127.0.0.1:8787',
        '/models': 'http://127.0.0.1:8787',
        '/mediapipe': 'http://127.0.0.1:8787',
      },
    },
  };
});
