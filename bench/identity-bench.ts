/**
 * Identity benchmark: the identity check's face describer (web/identity-bench.html, built by
 * `npm run bench:identity`, vite's bench mode) in headless Chromium on still frames of the development clips
 * (../shared/scenarios) and the fixture photos (../shared/fixtures/faces).
 *
 *   npm run bench:identity [-- --quick]
 *
 * Prints: model download size, load time, per-comparison time, renderer memory, and the
 * similarity distributions (same person by pose and light, different people) with the false
 * match / false non-match rates at candidate thresholds. Frames are extracted with ffmpeg into a
 * temporary folder that is deleted at the end.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { serveStatic } from '@hono/node-server/serve-static';
import { chromium } from 'playwright-core';
import { staticRoutes } from '../server/http/static-routes';
import { FACE_MODEL_PATH } from '../scripts/face-model';
import { REPO_ROOT } from '../scripts/repo-paths';
import { FACES_DIR } from '../tests/e2e/support/clips';
import {
  cosineSimilarity,
  createIdentityTracker,
  DEFAULT_IDENTITY_OPTIONS,
  judgeComparison,
  type IdentityComparison,
} from '../shared/detection/identity-continuity';
import { IDENTITY_MODEL_FILES } from '../web/src/monitor/identity/identity-models';
import type { BenchDescription } from '../web/src/bench/identity-bench-main';
import { serveBench, type BenchServer } from './bench-page';

const DIST_DIR = path.join(REPO_ROOT, 'dist', 'bench');
const SCENARIOS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'scenarios');
const CHROMIUM = '/usr/bin/chromium';
const QUICK = process.argv.includes('--quick');
/** --backend=wasm|cpu (default wasm, which falls back to cpu without the wasm files). */
const BACKEND = (/^--backend=(\w+)$/.exec(
  process.argv.find((a) => a.startsWith('--backend=')) ?? '',
)?.[1] ?? 'wasm') as 'wasm' | 'cpu';
/** --wasm-dir=PATH: TensorFlow.js wasm binaries when the package is not installed. */
const WASM_DIR = process.argv.find((a) => a.startsWith('--wasm-dir='))?.slice('--wasm-dir='.length);
const execFileAsync = promisify(execFile);

/** Clips and the step between extracted frames (s). Enrolment: the mean over 0.5-3 s. */
const CLIPS: { name: string; stepS: number }[] = QUICK
  ? [{ name: 'dev_impostor', stepS: 1 }]
  : [
      { name: 'dev_honest', stepS: 1 },
      { name: 'dev_head_turns', stepS: 0.5 },
      { name: 'dev_dim_room', stepS: 1 },
      { name: 'dev_impostor', stepS: 0.5 },
      { name: 'dev_second_person', stepS: 0.5 },
      { name: 'dev_look_down', stepS: 1 },
      { name: 'dev_brief_glances', stepS: 1 },
      { name: 'dev_eyes_aside', stepS: 2 },
      { name: 'dev_thinking', stepS: 1 },
    ];
const ENROL_FROM_S = 0;
const ENROL_TO_S = 3;

interface Truth {
  fps: number;
  t: number[];
  faces: number[];
  identity: (string | null)[];
  yaw_deg: (number | null)[];
  pitch_deg: (number | null)[];
  phase: string[];
}

interface FrameRow {
  clip: string;
  tS: number;
  identity: string | null;
  enrolled: string;
  yawDeg: number | null;
  pitchDeg: number | null;
  phase: string;
  d: BenchDescription;
}

function serve(framesDir: string): Promise<BenchServer> {
  return serveBench((app) => {
    app.get(
      '/frames/*',
      serveStatic({
        root: path.relative(process.cwd(), framesDir) || '.',
        rewriteRequestPath: (p) => p.replace(/^\/frames/, ''),
      }),
    );
    staticRoutes({
      webDistDir: DIST_DIR,
      modelsDir: path.dirname(FACE_MODEL_PATH),
      ...(WASM_DIR === undefined ? {} : { tfjsWasmDir: WASM_DIR }),
    })(app);
  });
}

async function extractFrames(clip: string, stepS: number, outDir: string): Promise<void> {
  await execFileAsync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-i',
    path.join(SCENARIOS_DIR, `${clip}.mp4`),
    '-vf',
    `fps=1/${stepS}:round=down`,
    '-start_number',
    '0',
    path.join(outDir, `${clip}-%04d.png`),
  ]);
}

async function fixtureFrames(outDir: string): Promise<string[]> {
  const made: string[] = [];
  const crops = [
    ['three_people_left', 0],
    ['three_people_middle', 640],
    ['three_people_right', 1280],
  ] as const;
  for (const [name, x] of crops) {
    await execFileAsync('ffmpeg', [
      '-hide_banner',
      '-loglevel',
      'error',
      '-nostdin',
      '-i',
      path.join(FACES_DIR, 'three-people.jpg'),
      '-vf',
      `crop=640:720:${x}:0`,
      path.join(outDir, `photo-${name}.png`),
    ]);
    made.push(name);
  }
  await execFileAsync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-i',
    path.join(FACES_DIR, 'astronaut.png'),
    path.join(outDir, 'photo-astronaut.png'),
  ]);
  made.push('astronaut');
  return made;
}

function mean(vectors: number[][]): number[] {
  const out = new Array<number>(vectors[0]?.length ?? 0).fill(0);
  for (const v of vectors) v.forEach((x, i) => (out[i] = (out[i] ?? 0) + x / vectors.length));
  return out;
}

function quantiles(values: number[]): string {
  if (values.length === 0) return '—';
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number): string =>
    (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(3);
  return `${at(0)} / ${at(0.05)} / ${at(0.5)} / ${at(0.95)} / ${at(1 - 1e-9)}`;
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DIST_DIR, 'identity-bench.html'))) {
    throw new Error(`${DIST_DIR}/identity-bench.html is missing: run \`npm run bench:identity\`.`);
  }
  const framesDir = await mkdtemp(path.join(os.tmpdir(), 'identity-bench-'));
  const server = await serve(framesDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    process.stderr.write('extracting frames…\n');
    const photos = await fixtureFrames(framesDir);
    for (const { name, stepS } of CLIPS) await extractFrames(name, stepS, framesDir);

    const page = await browser.newPage();
    const modelRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/models/')) modelRequests.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.origin}/identity-bench.html`);
    await page.waitForFunction(() => window.identityBench !== undefined);
    const load = await page.evaluate((b) => {
      if (window.identityBench === undefined) throw new Error('not loaded');
      return window.identityBench.load(b);
    }, BACKEND);
    const describe = (url: string): Promise<BenchDescription> =>
      page.evaluate((u) => {
        if (window.identityBench === undefined) throw new Error('not loaded');
        return window.identityBench.describeUrl(u);
      }, url);
    // Warm-up (first call compiles kernels).
    await describe(`/frames/photo-astronaut.png`);

    const photoDescriptors = new Map<string, number[]>();
    for (const name of photos) {
      const d = await describe(`/frames/photo-${name}.png`);
      if (d.face) photoDescriptors.set(name, d.face.descriptor);
    }

    const rows: FrameRow[] = [];
    for (const { name, stepS } of CLIPS) {
      const truth = JSON.parse(
        await readFile(path.join(SCENARIOS_DIR, 'truth', `${name}.json`), 'utf8'),
      ) as Truth;
      const durationS = truth.t.length / truth.fps;
      const count = Math.floor(durationS / stepS);
      const enrolled = truth.identity[0] ?? 'unknown';
      for (let i = 0; i < count; i += 1) {
        const tS = i * stepS;
        const index = Math.min(truth.t.length - 1, Math.round(tS * truth.fps));
        const file = `${name}-${String(i).padStart(4, '0')}.png`;
        if (!existsSync(path.join(framesDir, file))) continue;
        const d = await describe(`/frames/${file}`);
        rows.push({
          clip: name,
          tS,
          identity: truth.faces[index] === 0 ? null : (truth.identity[index] ?? null),
          enrolled,
          yawDeg: truth.yaw_deg[index] ?? null,
          pitchDeg: truth.pitch_deg[index] ?? null,
          phase: truth.phase[index] ?? '',
          d,
        });
      }
      process.stderr.write(`${name}: ${count} frames\n`);
    }

    // Memory after all of it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };

    // Enrolment per clip: mean descriptor over the calibration window.
    const enrolment = new Map<string, number[]>();
    for (const { name } of CLIPS) {
      const window = rows.filter(
        (r) => r.clip === name && r.tS >= ENROL_FROM_S && r.tS <= ENROL_TO_S && r.d.face !== null,
      );
      enrolment.set(name, mean(window.map((r) => r.d.face?.descriptor ?? [])));
    }

    const modelBytes = (
      await Promise.all(
        IDENTITY_MODEL_FILES.map(async (f) => {
          const dir = path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'human', 'models');
          return (await stat(path.join(dir, f))).size;
        }),
      )
    ).reduce((a, b) => a + b, 0);
    const times = rows.map((r) => r.d.inferenceMs).sort((a, b) => a - b);
    const pct = (q: number): number => times[Math.floor(q * (times.length - 1))] ?? 0;

    console.log('');
    console.log(
      `Identity check — headless Chromium, TensorFlow.js ${load.backend} backend, in the page`,
    );
    console.log(
      `model files: ${(modelBytes / 1048576).toFixed(2)} MiB (${IDENTITY_MODEL_FILES.join(', ')})`,
    );
    console.log(`model requests: ${[...new Set(modelRequests)].join(', ')}`);
    console.log(`load (download + graph init): ${load.loadMs.toFixed(0)} ms`);
    console.log(
      `per comparison (detect + mesh + descriptor), ms median / p95 / max: ${pct(0.5).toFixed(0)} / ${pct(0.95).toFixed(0)} / ${pct(1).toFixed(0)} over ${times.length} frames`,
    );
    console.log(`page JS heap after all frames: ${(heap.usedSize / 1048576).toFixed(1)} MiB`);
    console.log('');

    // Rows with similarity to the clip's enrolment.
    interface Scored {
      row: FrameRow;
      similarity: number;
    }
    const scored: Scored[] = rows
      .filter(
        (r) =>
          r.d.face !== null && r.identity !== null && !(r.tS >= ENROL_FROM_S && r.tS <= ENROL_TO_S),
      )
      .map((r) => ({
        row: r,
        similarity: cosineSimilarity(
          Float32Array.from(enrolment.get(r.clip) ?? []),
          Float32Array.from(r.d.face?.descriptor ?? []),
        ),
      }));
    const groups: { label: string; values: number[] }[] = [];
    const add = (label: string, filter: (s: Scored) => boolean): void => {
      groups.push({ label, values: scored.filter(filter).map((s) => s.similarity) });
    };
    const same = (s: Scored): boolean => s.row.identity === s.row.enrolled;
    const absYaw = (s: Scored): number => Math.abs(s.row.yawDeg ?? 0);
    const absPitch = (s: Scored): number => Math.abs(s.row.pitchDeg ?? 0);
    add(
      'same, |yaw| <= 10, |pitch| <= 10, normal light',
      (s) => same(s) && absYaw(s) <= 10 && absPitch(s) <= 10 && s.row.clip !== 'dev_dim_room',
    );
    add('same, 10 < |yaw| <= 20', (s) => same(s) && absYaw(s) > 10 && absYaw(s) <= 20);
    add('same, 20 < |yaw| <= 30', (s) => same(s) && absYaw(s) > 20 && absYaw(s) <= 30);
    add('same, |yaw| > 30', (s) => same(s) && absYaw(s) > 30);
    add('same, 10 < |pitch| <= 30', (s) => same(s) && absPitch(s) > 10 && absPitch(s) <= 30);
    add('same, |pitch| > 30', (s) => same(s) && absPitch(s) > 30);
    add(
      'same, dim room (gain 0.52)',
      (s) => same(s) && s.row.clip === 'dev_dim_room' && (s.row.tS < 10 || s.row.tS >= 22),
    );
    add(
      'same, darker (lamp off, gain 0.3)',
      (s) => same(s) && s.row.clip === 'dev_dim_room' && s.row.tS >= 10.5 && s.row.tS < 21.5,
    );
    add(
      'same, second person leaning in',
      (s) => same(s) && s.row.clip === 'dev_second_person' && s.row.tS >= 7.5 && s.row.tS < 13,
    );
    add('different person in the chair (impostor)', (s) => !same(s));

    // Different people across the fixture photos and the clip enrolments.
    const crossPairs: number[] = [];
    const photoNames = [...photoDescriptors.keys()];
    for (let i = 0; i < photoNames.length; i += 1) {
      for (let j = i + 1; j < photoNames.length; j += 1) {
        crossPairs.push(
          cosineSimilarity(
            Float32Array.from(photoDescriptors.get(photoNames[i] ?? '') ?? []),
            Float32Array.from(photoDescriptors.get(photoNames[j] ?? '') ?? []),
          ),
        );
      }
    }
    // Every clip frame against the enrolment of a clip whose candidate is someone else.
    const crossClip: number[] = [];
    for (const r of rows) {
      if (r.d.face === null || r.identity === null) continue;
      for (const { name } of CLIPS) {
        const other = rows.find((x) => x.clip === name)?.enrolled;
        if (other === undefined || other === r.identity) continue;
        crossClip.push(
          cosineSimilarity(
            Float32Array.from(enrolment.get(name) ?? []),
            Float32Array.from(r.d.face.descriptor),
          ),
        );
      }
    }
    groups.push({ label: 'different people, fixture photos (pairs)', values: crossPairs });
    groups.push({ label: 'different people, clip frames x other enrolments', values: crossClip });
    // Same person: a clip frame against the photo it was rendered from.
    console.log('similarity to the enrolment: min / p5 / median / p95 / max (n)');
    for (const g of groups) {
      console.log(`  ${g.label.padEnd(52)} ${quantiles(g.values)} (${g.values.length})`);
    }
    console.log('');
    const genuine = scored.filter((s) => same(s) && absYaw(s) <= 30 && absPitch(s) <= 30);
    const impostor = [...scored.filter((s) => !same(s)).map((s) => s.similarity), ...crossClip];
    console.log('per comparison, genuine = same person |yaw|,|pitch| <= 30 (all light):');
    for (const threshold of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7]) {
      const fnmr = genuine.filter((s) => s.similarity < threshold).length / genuine.length;
      const fmr = impostor.filter((v) => v >= threshold).length / impostor.length;
      console.log(
        `  threshold ${threshold.toFixed(2)}: false non-match ${(100 * fnmr).toFixed(1)}% (of ${genuine.length}), false match ${(100 * fmr).toFixed(1)}% (of ${impostor.length})`,
      );
    }

    // The product's view: comparisons gated as the tracker gates them (pose relative to the
    // enrolment's mean pose, light, size, face count), then the tracker run over each clip.
    const enrolPose = new Map<string, { yawDeg: number; pitchDeg: number }>();
    for (const { name } of CLIPS) {
      const window = rows.filter(
        (r) => r.clip === name && r.tS >= ENROL_FROM_S && r.tS <= ENROL_TO_S && r.d.face !== null,
      );
      const n = Math.max(1, window.length);
      enrolPose.set(name, {
        yawDeg: window.reduce((s, r) => s + (r.d.face?.yawDeg ?? 0), 0) / n,
        pitchDeg: window.reduce((s, r) => s + (r.d.face?.pitchDeg ?? 0), 0) / n,
      });
    }
    const toComparison = (r: FrameRow): IdentityComparison => {
      const pose = enrolPose.get(r.clip) ?? { yawDeg: 0, pitchDeg: 0 };
      const face = r.d.face;
      return {
        atMs: r.tS * 1000,
        faceCount: r.d.faceCount,
        face:
          face === null
            ? null
            : {
                yawDeg: face.yawDeg - pose.yawDeg,
                pitchDeg: face.pitchDeg - pose.pitchDeg,
                luma: face.luma,
                widthRatio: face.widthRatio,
                similarity: cosineSimilarity(
                  Float32Array.from(enrolment.get(r.clip) ?? []),
                  Float32Array.from(face.descriptor),
                ),
              },
      };
    };
    const usable = rows
      .filter((r) => r.identity !== null && !(r.tS >= ENROL_FROM_S && r.tS <= ENROL_TO_S))
      .map((r) => ({ r, c: toComparison(r) }))
      .filter(({ c }) => judgeComparison(c).kind !== 'unusable');
    const usableSame = usable.filter(({ r }) => r.identity === r.enrolled);
    const usableOther = usable.filter(({ r }) => r.identity !== r.enrolled);
    const sim = (c: IdentityComparison): number => c.face?.similarity ?? 0;
    console.log('');
    console.log(
      `usable comparisons (one face, |yaw| <= ${DEFAULT_IDENTITY_OPTIONS.maxYawDeg}, |pitch| <= ${DEFAULT_IDENTITY_OPTIONS.maxPitchDeg} of the enrolled pose, face luma >= ${DEFAULT_IDENTITY_OPTIONS.minFaceLuma}):`,
    );
    console.log(
      `  same person ${quantiles(usableSame.map(({ c }) => sim(c)))} (${usableSame.length}); ` +
        `different person ${quantiles(usableOther.map(({ c }) => sim(c)))} (${usableOther.length})`,
    );
    for (const threshold of [0.5, 0.55, 0.6, 0.65, 0.7]) {
      const fnmr =
        usableSame.filter(({ c }) => sim(c) < threshold).length / Math.max(1, usableSame.length);
      const fmr =
        [...usableOther.map(({ c }) => sim(c)), ...crossClip].filter((v) => v >= threshold).length /
        Math.max(1, usableOther.length + crossClip.length);
      console.log(
        `  threshold ${threshold.toFixed(2)}: same person below (false non-match) ${(100 * fnmr).toFixed(1)}%, different person at or above (false match) ${(100 * fmr).toFixed(2)}%`,
      );
    }
    console.log('');
    console.log('the tracker over each clip (one comparison per extracted frame):');
    for (const { name } of CLIPS) {
      let id = 0;
      const tracker = createIdentityTracker(
        ENROL_TO_S * 1000,
        () => `e${String(id++).padStart(3, '0')}`,
      );
      const out = rows
        .filter((r) => r.clip === name && r.tS > ENROL_TO_S)
        .flatMap((r) => tracker.step(toComparison(r)));
      out.push(...tracker.flush((rows.filter((r) => r.clip === name).at(-1)?.tS ?? 0) * 1000));
      const text = out
        .filter((e) => e.phase === 'end')
        .map(
          (e) =>
            `${e.kind} ${(e.startMs / 1000).toFixed(1)}-${((e.endMs ?? 0) / 1000).toFixed(1)} s`,
        )
        .join(', ');
      console.log(`  ${name.padEnd(20)} ${text || 'nothing'}`);
    }
    if (process.argv.includes('--rows')) {
      for (const s of scored) {
        console.log(
          `${s.row.clip} t=${s.row.tS} id=${s.row.identity} yaw=${s.row.yawDeg} pitch=${s.row.pitchDeg} ` +
            `myaw=${s.row.d.face?.yawDeg.toFixed(1)} mpitch=${s.row.d.face?.pitchDeg.toFixed(1)} luma=${s.row.d.face?.luma.toFixed(0)} w=${s.row.d.face?.widthRatio.toFixed(2)} n=${s.row.d.faceCount} sim=${s.similarity.toFixed(3)}`,
        );
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(framesDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
