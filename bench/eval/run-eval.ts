/**
 * `npm run eval`: the end-to-end detection benchmark. Plays each labelled clip of
 * ../shared/scenarios through the whole product (candidate Chromium with the clip as its camera,
 * real LiveKit, the server's recorder and score) and compares the record's flags with the labels.
 *
 *   npm run eval -- [--clip <name>]... [--port-base <n>]
 *
 * Port block: --port-base, else E2E_PORT_BASE, else 24000 (LiveKit on the base, UDP base+2..+70).
 * Results: --out, else .cache/eval/results.json; each clip's record in records/ beside it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE_DIR } from '../../scripts/repo-paths';
import type { ChromiumSession } from '../../tests/e2e/support/chromium';
import { buildClipClock, probedFps } from './clip-clock';
import { prepareClip } from './clip-prep';
import { bestContentOffset, y4mFrameLumas } from './content-check';
import { clipDetections } from './detections';
import { expectedIntervals } from './expected';
import { loadLabels } from './labels';
import { kindMetrics, matchClip, MATCH_TOLERANCE_S } from './matching';
import { formatClip, formatKindTable, formatScores, type ClipResult } from './report';
import { runClip, startEnvironment, type EvalEnvironment } from './runner';

const DEFAULT_PORT_BASE = 24000;
export const RESULTS_FILE = path.join(CACHE_DIR, 'eval', 'results.json');

function portBaseFrom(flag: string | undefined): number {
  const raw = flag ?? process.env['E2E_PORT_BASE'] ?? String(DEFAULT_PORT_BASE);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1024 || n > 65_000)
    throw new Error(`port base must be an integer in 1024-65000, got ${JSON.stringify(raw)}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      clip: { type: 'string', multiple: true },
      'port-base': { type: 'string' },
      out: { type: 'string' },
      markdown: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    console.log(
      'usage: npm run eval -- [--clip <name>]... [--port-base <n>] [--out <results.json>] [--markdown]',
    );
    return 0;
  }
  const portBase = portBaseFrom(values['port-base']);
  const resultsFile = path.resolve(values.out ?? RESULTS_FILE);
  // Each clip's record and camera frames, beside the results, for looking into a figure.
  const recordsDir = path.join(path.dirname(resultsFile), 'records');
  const labels = await loadLabels();
  const names = values.clip ?? [...labels.keys()];
  for (const name of names)
    if (!labels.has(name))
      throw new Error(`no labels for clip ${name}; known: ${[...labels.keys()].join(', ')}`);

  let env: EvalEnvironment | undefined;
  let chromium: ChromiumSession | null = null;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: closing Chromium and LiveKit...`);
    void Promise.allSettled([chromium?.close(), env?.close()]).then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const results: ClipResult[] = [];
  try {
    console.log(`[eval] port base ${portBase}; ${names.length} clip(s): ${names.join(', ')}`);
    env = await startEnvironment(portBase);
    console.log(`[eval] LiveKit ${env.livekit.url} (log ${env.livekitLog}), app ${env.app.url}`);
    for (const [i, name] of names.entries()) {
      const clip = labels.get(name);
      if (clip === undefined) continue;
      const tag = `[${i + 1}/${names.length}] ${name}`;
      const progress = (line: string): void => console.log(`${tag}: ${line}`);
      const started = Date.now();
      try {
        progress('preparing the y4m');
        const y4m = await prepareClip(name);
        const run = await runClip(env, {
          name,
          y4m,
          durationS: clip.duration_s,
          fps: clip.fps,
          progress,
          onChromium: (s) => (chromium = s),
        });
        const stream = run.cameraOpens[run.cameraOpens.length - 1];
        if (stream === undefined) throw new Error('the candidate page never opened the camera');
        const clock = buildClipClock(stream.frames, clip.fps);
        // The raw material, for looking into a surprising figure: the record and the camera frames.
        await mkdir(recordsDir, { recursive: true });
        await writeFile(
          path.join(recordsDir, `${name}.json`),
          JSON.stringify({ record: run.record, cameraOpens: run.cameraOpens }),
        );
        const contentCheck = bestContentOffset(
          stream.lumas,
          clock.frameIndex,
          await y4mFrameLumas(y4m),
        );
        const detections = clipDetections(run.record, clock, clip.duration_s);
        const match = matchClip(expectedIntervals(clip), detections.scored);
        const result: ClipResult = {
          clip: name,
          durationS: clip.duration_s,
          interviewId: run.interviewId,
          identityCheck: run.identityCheck,
          finalScore: run.record.interview_summary?.final_score ?? null,
          coverage: run.record.interview_summary?.coverage ?? null,
          cameraOpens: run.cameraOpens.length,
          missedFrames: clock.missedFrames,
          clockSource: clock.source,
          probedFps: probedFps(stream.frames),
          statusAtEnd: run.statusAtEnd,
          contentCheck,
          match,
          otherFlags: detections.other,
        };
        results.push(result);
        progress(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        console.log(formatClip(result));
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the signal handler while the clip runs
        if (interrupted) break;
        const message = (error as Error).message.split('\n')[0] ?? String(error);
        console.error(`${tag}: FAILED: ${(error as Error).stack ?? message}`);
        results.push({
          clip: name,
          durationS: clip.duration_s,
          interviewId: '',
          identityCheck: false,
          finalScore: null,
          coverage: null,
          cameraOpens: 0,
          missedFrames: 0,
          clockSource: null,
          probedFps: null,
          statusAtEnd: null,
          contentCheck: null,
          match: { labels: [], detections: [] },
          otherFlags: [],
          error: message,
        });
      }
    }
  } finally {
    await env?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const ok = results.filter((r) => r.error === undefined);
  const metrics = kindMetrics(ok.map((r) => r.match));
  console.log(
    '\n== Per kind (clip seconds; onset/end = detected - labelled; delay = flag start at the server - labelled start)',
  );
  console.log(
    `   camera_covered counts for no_face labels; a detection matches a label of its kind that it overlaps within ${MATCH_TOLERANCE_S} s;`,
  );
  console.log(
    '   on time: onset within 1 s and end within 1.5 s (reading 2 s / 2 s; identity_changed onset within 5 s)',
  );
  console.log(
    ok.some((r) => r.identityCheck)
      ? '   identity check: on (the server accepts identity_check)'
      : '   identity check: off (the server does not accept identity_check; identity_changed cannot be raised)',
  );
  console.log(formatKindTable(metrics));
  console.log('\n== Per clip');
  console.log(formatScores(results));
  if (values.markdown === true) {
    console.log('\n== Markdown (for the README)\n');
    console.log(formatKindTable(metrics, 'markdown'));
    console.log('');
    console.log(formatScores(results, 'markdown'));
  }
  const failed = results.filter((r) => r.error !== undefined);
  if (failed.length > 0)
    console.log(`\n${failed.length} clip(s) FAILED: ${failed.map((r) => r.clip).join(', ')}`);

  await mkdir(path.dirname(resultsFile), { recursive: true });
  await writeFile(
    resultsFile,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), portBase, matchToleranceS: MATCH_TOLERANCE_S, kinds: metrics, clips: results }, null, 2)}\n`,
  );
  console.log(`\nJSON: ${resultsFile}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[eval] ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
