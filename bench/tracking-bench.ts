/**
 * Tracking benchmark: the production landmarker worker, frame source, pump and sample window
 * (web/bench.html, built here with vite's bench mode into dist/bench) in headless Chromium on a fake camera showing a real
 * face photograph, served with the face model and MediaPipe's wasm from a loopback HTTP server.
 *
 *   npm run bench                          (CPU delegate)
 *   npm run build && tsx bench/tracking-bench.ts --gpu   (GPU delegate; software WebGL here)
 *
 * Prints a plain table: model load, ms per analysed frame (median, p95), achieved analysis rate,
 * dropped frames, memory, and the encoded size of a real MetricSample.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { staticRoutes } from '../server/http/static-routes';
import { BENCH_DIST_DIR, buildBenchPage, serveBench, type BenchServer } from './bench-page';
import { FACE_MODEL_PATH } from '../scripts/face-model';
import { ensureClip } from '../tests/e2e/support/clips';
import type {
  BenchPhase,
  BenchSetup,
  Distribution,
  MonitorSmoke,
} from '../web/src/bench/bench-main';

const DIST_DIR = BENCH_DIST_DIR;
const CHROMIUM = '/usr/bin/chromium';
const DELEGATE: 'CPU' | 'GPU' = process.argv.includes('--gpu') ? 'GPU' : 'CPU';

const PHASES = [
  { label: 'target 10/s', targetFps: 10, durationMs: 20_000 },
  { label: 'unthrottled', targetFps: 'unlimited', durationMs: 10_000 },
  { label: '10/s video-element', targetFps: 10, durationMs: 10_000, source: 'video-element' },
] as const;

/** The app's own static routes (web build, face model, MediaPipe wasm) on a loopback port. */
function serve(): Promise<BenchServer> {
  return serveBench(
    staticRoutes({ webDistDir: DIST_DIR, modelsDir: path.dirname(FACE_MODEL_PATH) }),
  );
}

/**
 * Resident memory of the Chromium renderers this process started (page + worker + wasm), and the
 * part of it that is shared memory (`memfd:shared-memory-region`: GPU command-buffer transfer
 * buffers, here filled by MediaPipe's WebGL texture uploads in software GL).
 */
async function rendererMemory(): Promise<{ rssBytes: number; sharedMemoryBytes: number } | null> {
  const parents = new Map<number, number>();
  const renderers: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      parents.set(pid, Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes('--type=renderer')) renderers.push(pid);
    } catch {
      // The process ended while we looked.
    }
  }
  const descendsFromUs = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === process.pid) return true;
    }
    return false;
  };
  let rssKb = 0;
  let sharedKb = 0;
  let found = false;
  for (const pid of renderers.filter(descendsFromUs)) {
    const smaps = await readFile(`/proc/${pid}/smaps`, 'utf8').catch(() => '');
    let shared = false;
    for (const line of smaps.split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
        shared = line.includes('memfd:shared-memory-region');
        continue;
      }
      const rss = /^Rss:\s+(\d+)/.exec(line);
      if (rss === null) continue;
      found = true;
      rssKb += Number(rss[1]);
      if (shared) sharedKb += Number(rss[1]);
    }
  }
  return found ? { rssBytes: rssKb * 1024, sharedMemoryBytes: sharedKb * 1024 } : null;
}

interface Memory {
  /** The page's JS heap after a GC (CDP Runtime.getHeapUsage). */
  mainHeapBytes: number | null;
  /**
   * Resident memory of the renderer: page, worker, MediaPipe's wasm heap and frame buffers.
   * Workers expose no performance.memory, and the wasm heap lives outside the JS heap anyway.
   */
  rendererRssBytes: number | null;
  /** The shared-memory part of it (see rendererMemory). */
  rendererSharedBytes: number | null;
}

async function measureMemory(page: Page): Promise<Memory> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  const renderer = await rendererMemory();
  return {
    mainHeapBytes: heap.usedSize,
    rendererRssBytes: renderer?.rssBytes ?? null,
    rendererSharedBytes: renderer?.sharedMemoryBytes ?? null,
  };
}

const fmt = (value: number | null | undefined, digits = 1): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const mib = (bytes: number | null): string =>
  bytes === null ? '—' : `${(bytes / 1048576).toFixed(1)} MiB`;
const dist = (d: Distribution, digits = 1): string =>
  `${fmt(d.median, digits)} / ${fmt(d.p95, digits)}`;

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join(
    '\n',
  );
}

async function main(): Promise<void> {
  await buildBenchPage();
  if (!existsSync(FACE_MODEL_PATH)) {
    throw new Error(`no face model at ${FACE_MODEL_PATH}: run \`npm run setup\``);
  }
  const clip = await ensureClip('astronaut-30fps');
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${clip}`,
    ],
  });
  const problems: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // MediaPipe logs its informational lines (e.g. "INFO: Created TensorFlow Lite XNNPACK
      // delegate for CPU.") through console.error; only real errors count.
      if (message.type() === 'error' && !message.text().startsWith('INFO:')) {
        problems.push(`console.error: ${message.text().slice(0, 300)}`);
      }
    });
    await page.goto(`${server.origin}/bench.html`);
    await page.waitForFunction(() => window.trackingBench !== undefined, undefined, {
      timeout: 30_000,
    });

    const setup: BenchSetup = await page.evaluate((d) => {
      if (window.trackingBench === undefined) throw new Error('the benchmark page is not loaded');
      return window.trackingBench.setup(d);
    }, DELEGATE);
    const memoryAfterLoad = await measureMemory(page);
    const results: { label: string; phase: BenchPhase; memory: Memory }[] = [];
    for (const { label, ...options } of PHASES) {
      process.stderr.write(`running ${label} for ${options.durationMs / 1000} s…\n`);
      const phase: BenchPhase = await page.evaluate((o) => {
        if (window.trackingBench === undefined) throw new Error('the benchmark page is not loaded');
        return window.trackingBench.run(o);
      }, options);
      results.push({ label, phase, memory: await measureMemory(page) });
    }

    process.stderr.write('running the whole candidate monitor for 12 s…\n');
    const smoke: MonitorSmoke = await page.evaluate(() => {
      if (window.trackingBench === undefined) throw new Error('the benchmark page is not loaded');
      return window.trackingBench.smoke(12_000);
    });

    const workers = page.workers().map((w) => w.url());
    console.log('');
    console.log(
      `Tracking benchmark — headless Chromium, ${setup.delegate} delegate, blendshapes + matrices on, numFaces 4`,
    );
    console.log(
      `camera: fake ${setup.camera.width}x${setup.camera.height} @ ${fmt(setup.camera.frameRate, 0)} fps ` +
        `(${path.basename(clip)}); MediaStreamTrackProcessor: ${setup.trackProcessorAvailable ? 'yes' : 'no'}; ` +
        `worker: ${workers.map((u) => path.basename(new URL(u).pathname)).join(', ') || '—'}`,
    );
    console.log('');
    console.log(
      table([
        ['model load', 'value'],
        ['download + wasm + graph (page wall time)', `${fmt(setup.loadMs, 0)} ms`],
        [
          '  download (in worker)',
          `${fmt(setup.downloadMs, 0)} ms, ${mib(setup.modelBytes)}, ${setup.progressEvents} progress events`,
        ],
        ['  MediaPipe init (wasm + graph)', `${fmt(setup.initMs, 0)} ms`],
        [
          'first frame (warm-up), round trip',
          `${fmt(setup.firstFrameMs, 0)} ms, faces: ${setup.firstFrameFaces}`,
        ],
        ['page JS heap after load', mib(memoryAfterLoad.mainHeapBytes)],
        ['renderer RSS after load (page+worker+wasm)', mib(memoryAfterLoad.rendererRssBytes)],
        ['  of which shared memory (GPU transfer)', mib(memoryAfterLoad.rendererSharedBytes)],
      ]),
    );
    console.log('');
    console.log(
      table([
        ['per phase', ...results.map((r) => r.label)],
        ['duration', ...results.map((r) => `${r.phase.durationMs / 1000} s`)],
        ['frame source', ...results.map((r) => r.phase.source)],
        ['detectForVideo ms: median / p95', ...results.map((r) => dist(r.phase.inferenceMs))],
        ['round trip ms: median / p95', ...results.map((r) => dist(r.phase.roundTripMs))],
        ['analysed frames/s', ...results.map((r) => fmt(r.phase.analysedPerS, 2))],
        [
          'frames offered / analysed',
          ...results.map((r) => `${r.phase.offered} / ${r.phase.analysed}`),
        ],
        [
          'dropped (worker busy) / failed',
          ...results.map((r) => `${r.phase.droppedBusy} / ${r.phase.failed}`),
        ],
        ['frames by face count 0/1/2/3/4+', ...results.map((r) => r.phase.faceCounts.join('/'))],
        [
          'samples (invalid)',
          ...results.map((r) => `${r.phase.samples} (${r.phase.invalidSamples})`),
        ],
        [
          'encoded sample bytes: median / max',
          ...results.map(
            (r) => `${fmt(r.phase.sampleBytes.median, 0)} / ${fmt(r.phase.sampleBytes.max, 0)}`,
          ),
        ],
        ['page JS heap (at end)', ...results.map((r) => mib(r.memory.mainHeapBytes))],
        ['renderer RSS (at end)', ...results.map((r) => mib(r.memory.rendererRssBytes))],
        ['  of which shared memory', ...results.map((r) => mib(r.memory.rendererSharedBytes))],
      ]),
    );
    const example = results[0]?.phase.exampleSample;
    if (example) {
      console.log('');
      console.log(
        `example MetricSample (${Buffer.byteLength(JSON.stringify(example))} bytes encoded):`,
      );
      console.log(JSON.stringify(example));
    }
    console.log('');
    console.log('candidate monitor, 12 s over a fake room that acknowledges (recalibrate at 6 s):');
    console.log(
      `  status phases: ${smoke.statusPhases.join(' → ')}; last: ${JSON.stringify(smoke.lastStatus)}`,
    );
    console.log(
      `  published: ${smoke.published.samples} samples, ${smoke.published.events} events, ` +
        `${smoke.published.bytes} bytes; invalid packets: ${smoke.invalidPackets}; acked up to seq ${smoke.ackedUpToSeq}`,
    );
    console.log(`  events: ${smoke.events.join(', ') || '—'}`);
    console.log(`  notices: ${smoke.noticesSeen.join(' | ') || '—'}`);
    if (problems.length > 0) {
      console.log('');
      console.log(`${problems.length} page problem(s):`);
      for (const problem of problems.slice(0, 10)) console.log(`  ${problem}`);
    }
    const broken =
      results.some((r) => r.phase.analysed === 0 || r.phase.invalidSamples > 0) ||
      smoke.invalidPackets > 0 ||
      smoke.published.samples === 0 ||
      smoke.lastStatus?.phase === 'failed';
    if (broken) process.exitCode = 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
