/**
 * Development tool: replays the frame features of each scenario clip (bench/scenario-features.ts)
 * through the product's own sample window, condition detector, flag merge and score engine, and
 * compares the flags with the clip's labels (../shared/scenarios/labels.json). No browser, no
 * LiveKit: it checks the detection rules on MediaPipe's real output in seconds. The whole-product
 * measurement is `npm run eval`.
 *
 *   tsx bench/scenario-replay.ts [featuresDir] [--start-s <seconds the analysis starts late>]
 *                                 [--every <keep every n-th frame: a slower device>]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mergeEventReports } from '../shared/detection/flags';
import { DEFAULT_POLICY } from '../shared/policy/policy';
import type { IntegrityEvent } from '../shared/protocol/integrity-event';
import type { MetricSample } from '../shared/protocol/metric-sample';
import { computeScore } from '../shared/scoring/score-engine';
import { REPO_ROOT } from '../scripts/repo-paths';
import { createSampleWindow } from '../web/src/monitor/sample-window';
import type { FeatureDump } from '../web/src/bench/bench-main';

interface Expected {
  flag: string;
  start: number;
  end: number;
}
const labels = JSON.parse(
  readFileSync(path.join(REPO_ROOT, '..', 'shared', 'scenarios', 'labels.json'), 'utf8'),
) as { clips: Record<string, { duration_s: number; expected_flags: Expected[] }> };

/** camera_covered answers a `no_face` label: the labels count a covered camera as no face. */
const LABEL_KIND: Record<string, string> = { camera_covered: 'no_face' };
const FACE_KINDS = new Set(['no_face', 'multiple_faces', 'looking_away', 'reading']);

const { values, positionals } = parseArgs({
  options: { 'start-s': { type: 'string' }, every: { type: 'string' } },
  allowPositionals: true,
});
const dir = positionals[0] ?? '/tmp/scenario-features';
const startS = Number(values['start-s'] ?? 0);
const every = Math.max(1, Math.round(Number(values.every ?? 1)));
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const clip = file.replace(/\.json$/, '');
  const label = labels.clips[clip];
  if (label === undefined) continue;
  const dump = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as FeatureDump;
  const t0 = dump.firstOfferMs ?? dump.frames[0]?.timestampMs ?? 0;
  const endMs = t0 + label.duration_s * 1000;
  // --start-s: analysis starts this late in the clip (as after joining and loading the model).
  const analysisStartMs = t0 + startS * 1000;
  dump.frames = dump.frames.filter((f, i) => f.timestampMs >= analysisStartMs && i % every === 0);
  dump.offered = dump.offered.filter((t) => t >= analysisStartMs);
  let n = 0;
  const window = createSampleWindow({
    policy: DEFAULT_POLICY,
    newEventId: () => `ev${String((n += 1)).padStart(4, '0')}`,
    startMs: analysisStartMs,
  });
  const events: IntegrityEvent[] = [];
  const samples: MetricSample[] = [];
  const push = (emissions: ReturnType<typeof window.addFrame>): void => {
    for (const e of emissions) {
      events.push({
        type: 'integrity_event',
        v: 1,
        stream: 'replay0001',
        seq: events.length + samples.length,
        ...e,
      });
    }
  };
  for (const t of dump.offered) if (t < endMs) window.offer(t);
  for (const frame of dump.frames) {
    if (frame.timestampMs >= endMs) break;
    push(window.addFrame(frame));
    for (const body of window.closeUpTo(frame.timestampMs, { cameraDelivering: true })) {
      samples.push({
        type: 'metric_sample',
        v: 1,
        stream: 'replay0001',
        seq: events.length + samples.length,
        ...body,
      });
    }
  }
  for (const body of window.closeUpTo(endMs, { cameraDelivering: true })) {
    samples.push({
      type: 'metric_sample',
      v: 1,
      stream: 'replay0001',
      seq: events.length + samples.length,
      ...body,
    });
  }
  push(window.finish(endMs));
  const flags = mergeEventReports(events, [], endMs);
  const score = computeScore({
    samples,
    flags,
    speakers: [],
    startMs: t0,
    atMs: endMs,
    policy: DEFAULT_POLICY,
  });
  const s = (ms: number): string => ((ms - t0) / 1000).toFixed(2);
  console.log(
    `\n${clip}: score ${String(score.score)} (base ${score.base.toFixed(1)}, coverage ${score.coverage.toFixed(2)})`,
  );
  for (const f of flags) {
    if (!FACE_KINDS.has(LABEL_KIND[f.kind] ?? f.kind) && f.kind !== 'poor_quality') continue;
    const kind = LABEL_KIND[f.kind] ?? f.kind;
    const match = label.expected_flags.find(
      (e) =>
        e.flag === kind &&
        e.start * 1000 + t0 < (f.endMs ?? endMs) &&
        e.end * 1000 + t0 > f.startMs,
    );
    const err =
      match === undefined
        ? 'FALSE'
        : `onset ${((s(f.startMs) as unknown as number) - match.start).toFixed(2)} end ${((f.endMs === null ? 0 : (f.endMs - t0) / 1000) - match.end).toFixed(2)}`;
    console.log(
      `  ${f.kind} ${s(f.startMs)}-${f.endMs === null ? '…' : s(f.endMs)} ${err} ${JSON.stringify(f.details)}`,
    );
  }
  for (const e of label.expected_flags) {
    const found = flags.some(
      (f) =>
        (LABEL_KIND[f.kind] ?? f.kind) === e.flag &&
        e.start * 1000 + t0 < (f.endMs ?? endMs) &&
        e.end * 1000 + t0 > f.startMs,
    );
    if (!found) console.log(`  MISSED ${e.flag} ${String(e.start)}-${String(e.end)}`);
  }
  const pens = score.contributions.filter((c) => c.type === 'penalty' || c.points < -0.5);
  console.log(
    `  ${pens.map((c) => `${c.type === 'penalty' ? c.kind : c.type === 'signal' ? c.signal : 'share'} ${c.points.toFixed(1)}`).join(', ')}`,
  );
}
