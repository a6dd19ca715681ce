/**
 * Development tool for the reading detector: runs every frame of a scenario clip through
 * MediaPipe Face Landmarker (the app's own model and wasm, VIDEO mode, CPU) in headless Chromium,
 * turns each result into FrameFeatures with the production extractor, and writes a compact trace
 * (time, face count, head yaw/pitch, gaze horizontal/vertical from iris and blendshapes).
 *
 *   tsx bench/reading-trace.ts <clip.mp4> <out.json>
 *
 * Frames are decoded with ffmpeg to JPEG (quality 2) first, so the run is deterministic and not
 * real-time; the frame rate is the clip's (15/s).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FACE_MODEL_PATH } from '../scripts/face-model';
import { REPO_ROOT } from '../scripts/repo-paths';
import { extractFrameFeatures } from '../shared/tracking/extract-frame-features';
import type { FaceLandmarkerOutput } from '../shared/tracking/frame-features';
import { gazeFromBlendshapes, gazeFromIrisLandmarks } from '../shared/tracking/gaze';
import { launchChromium } from '../tests/e2e/support/chromium';

const [clip, out] = process.argv.slice(2);
if (clip === undefined || out === undefined) {
  console.error('usage: tsx bench/reading-trace.ts <clip.mp4> <out.json>');
  process.exit(2);
}
const FPS = 15;
const tasksDir = path.join(REPO_ROOT, 'node_modules', '@mediapipe', 'tasks-vision');
const framesDir = mkdtempSync(path.join(os.tmpdir(), 'reading-trace-'));
execFileSync('ffmpeg', ['-loglevel', 'error', '-i', clip, '-q:v', '2', `${framesDir}/%05d.jpg`]);
const frameFiles = readdirSync(framesDir)
  .filter((f) => f.endsWith('.jpg'))
  .sort();

const PAGE = `<!doctype html><script type="module">
import { FaceLandmarker, FilesetResolver } from '/tv/vision_bundle.mjs';
const fileset = await FilesetResolver.forVisionTasks('/tv/wasm');
const lm = await FaceLandmarker.createFromOptions(fileset, {
  baseOptions: { modelAssetPath: '/model.task', delegate: 'CPU' }, runningMode: 'VIDEO',
  numFaces: 4, outputFaceBlendshapes: true, outputFacialTransformationMatrixes: true });
window.analyse = async (name, ts) => {
  const blob = await (await fetch('/frames/' + name)).blob();
  const bmp = await createImageBitmap(blob);
  const r = lm.detectForVideo(bmp, ts);
  bmp.close();
  return { faceLandmarks: r.faceLandmarks.map(f => f.map(p => ({x:p.x,y:p.y,z:p.z}))),
    faceBlendshapes: r.faceBlendshapes.map(b => ({ categories: b.categories.map(c => ({categoryName: c.categoryName, score: c.score})) })),
    facialTransformationMatrixes: r.facialTransformationMatrixes.map(m => ({rows: m.rows, columns: m.columns, data: Array.from(m.data)})) };
};
window.ready = true;
</script>`;

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  let file: string | null = null;
  let type = 'application/octet-stream';
  if (url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    return;
  }
  if (url.startsWith('/tv/')) file = path.join(tasksDir, url.slice(4));
  if (url === '/model.task') file = FACE_MODEL_PATH;
  if (url.startsWith('/frames/')) file = path.join(framesDir, path.basename(url));
  if (file?.endsWith('.mjs') || file?.endsWith('.js')) type = 'text/javascript';
  if (file?.endsWith('.wasm')) type = 'application/wasm';
  let body: Buffer;
  try {
    body = readFileSync(file ?? '');
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': type }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const session = await launchChromium();
try {
  const page = await session.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(
    () => (window as unknown as { ready?: boolean }).ready === true,
    null,
    {
      timeout: 60_000,
    },
  );
  const rows: (number | null)[][] = [];
  for (const [i, name] of frameFiles.entries()) {
    const tMs = (i * 1000) / FPS;
    const output = (await page.evaluate(
      ([n, ts]) =>
        (window as unknown as { analyse(n: string, t: number): Promise<unknown> }).analyse(n, ts),
      [name, Math.round(tMs) + 1] as const,
    )) as FaceLandmarkerOutput;
    const f = extractFrameFeatures({
      output,
      gray: null,
      timestampMs: tMs,
      inferenceMs: 0,
      blinkThreshold: 0.5,
      aspectRatio: 640 / 480,
    });
    const lm = output.faceLandmarks[0] ?? [];
    const iris = gazeFromIrisLandmarks(lm, 640 / 480);
    const bs = gazeFromBlendshapes(output.faceBlendshapes[0]?.categories ?? []);
    const r = (x: number | undefined | null): number | null =>
      x === undefined || x === null ? null : Math.round(x * 1000) / 1000;
    rows.push([
      r(tMs / 1000),
      f.faceCount,
      r(f.main?.pose?.yawDeg),
      r(f.main?.pose?.pitchDeg),
      r(f.main?.gaze?.horizontalDeg),
      r(f.main?.gaze?.verticalDeg),
      r(iris?.horizontalDeg),
      r(bs?.horizontalDeg),
    ]);
  }
  writeFileSync(
    out,
    JSON.stringify({
      clip: path.basename(clip),
      fps: FPS,
      columns: [
        't',
        'faces',
        'yawDeg',
        'pitchDeg',
        'gazeHDeg',
        'gazeVDeg',
        'irisHDeg',
        'blendHDeg',
      ],
      rows,
    }),
  );
  console.log(`${rows.length} frames -> ${out}`);
} finally {
  await session.close();
  server.close();
  rmSync(framesDir, { recursive: true, force: true });
}
