import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/** MediaPipe's WebAssembly, served from the installed package: no third-party host at run time. */
function mediapipeWasmDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@mediapipe/tasks-vision/vision_wasm_internal.js'));
}

/** Human's models folder in the installed package (the identity check's weights). */
function humanModelsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(dirname(require.resolve('@vladmandic/human'))), 'models');
}

/**
 * TensorFlow.js's wasm binaries for the identity check's `wasm` backend, from the installed
 * `@tensorflow/tfjs-backend-wasm` package; null when it is not installed (the check then runs
 * on the slower `cpu` backend).
 */
export function tfjsWasmDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  } catch {
    return null;
  }
}

const TFJS_WASM_FILE = /^\/models\/human\/wasm\/tfjs-backend-wasm(-simd|-threaded-simd)?\.wasm$/;

/**
 * The identity check's model files, and only those: Human's package also ships emotion, age,
 * gender and body models, which this product never serves.
 */
const HUMAN_MODEL_FILE = /^\/models\/human\/(blazeface|facemesh|faceres)\.(json|bin)$/;

/**
 * The built web app, the face model and MediaPipe's wasm, all from this origin. Client-side
 * routes (`/`, `/c/<token>`, `/i/<token>`, ...) fall back to index.html.
 */
export function staticRoutes(options: {
  webDistDir: string;
  modelsDir: string;
  /** TensorFlow.js wasm folder; default: the installed package, if any (see tfjsWasmDir). */
  tfjsWasmDir?: string | null;
}): (app: Hono) => void {
  const webRoot = relative(process.cwd(), resolve(options.webDistDir)) || '.';
  const modelsRoot = relative(process.cwd(), resolve(options.modelsDir)) || '.';
  const wasmRoot = relative(process.cwd(), mediapipeWasmDir()) || '.';
  const humanRoot = relative(process.cwd(), humanModelsDir()) || '.';
  const wasmDir = options.tfjsWasmDir === undefined ? tfjsWasmDir() : options.tfjsWasmDir;
  const tfjsWasmRoot = wasmDir === null ? null : relative(process.cwd(), wasmDir) || '.';
  const indexHtml = join(resolve(options.webDistDir), 'index.html');
  return (app) => {
    app.get(
      '/models/face_landmarker.task',
      serveStatic({ root: modelsRoot, rewriteRequestPath: () => '/face_landmarker.task' }),
    );
    app.get('/models/human/wasm/*', async (c, next) => {
      if (tfjsWasmRoot === null || !TFJS_WASM_FILE.test(c.req.path))
        return c.text('not found', 404);
      c.header('Content-Type', 'application/wasm');
      return serveStatic({
        root: tfjsWasmRoot,
        rewriteRequestPath: (p) => p.replace(/^\/models\/human\/wasm/, ''),
      })(c, next);
    });
    app.get('/models/human/*', async (c, next) => {
      if (!HUMAN_MODEL_FILE.test(c.req.path)) return c.text('not found', 404);
      return serveStatic({
        root: humanRoot,
        rewriteRequestPath: (p) => p.replace(/^\/models\/human/, ''),
      })(c, next);
    });
    app.get(
      '/mediapipe/wasm/*',
      serveStatic({
        root: wasmRoot,
        rewriteRequestPath: (p) => p.replace(/^\/mediapipe\/wasm/, ''),
      }),
    );
    app.get('/assets/*', serveStatic({ root: webRoot }));
    app.get('*', serveStatic({ root: webRoot }));
    app.get('*', async (c) => {
      try {
        const html = await readFile(indexHtml, 'utf8');
        c.header('Cache-Control', 'no-store');
        return c.html(html);
      } catch {
        return c.text('The web app is not built: run `npm run build` (npm start does it).', 503);
      }
    });
  };
}
