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
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:8787', '/models': 'http://127.0.0.1:8787', '/mediapipe': 'http://127.0.0.1:8787' } },
});
