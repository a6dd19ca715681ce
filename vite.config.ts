import { defineConfig } from 'vite';

/**
 * The web app is built once and served by the Hono server (`npm start`), so the pages, the API,
 * the face model and MediaPipe's WebAssembly all come from one origin.
 */
export default defineConfig({
  root: 'web',
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      // The app, and the tracking benchmark page that `npm run bench` drives in headless Chromium.
      input: {
        main: new URL('./web/index.html', import.meta.url).pathname,
        bench: new URL('./web/bench.html', import.meta.url).pathname,
        'identity-bench': new URL('./web/identity-bench.html', import.meta.url).pathname,
      },
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
});
