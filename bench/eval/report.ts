import type { ClipMatch, KindMetrics } from './matching';
import type { ContentCheck } from './content-check';
import type { OtherFlag } from './detections';

/** One clip's outcome, as printed and as written to results.json. */
export interface ClipResult {
  clip: string;
  durationS: number;
  interviewId: string;
  identityCheck: boolean;
  finalScore: number | null;
  coverage: number | null;
  cameraOpens: number;
  missedFrames: number;
  clockSource: 'track-counter' | 'timestamps' | null;
  probedFps: number | null;
  statusAtEnd: string | null;
  /** The clip clock checked against the pictures (content-check.ts). */
  contentCheck: ContentCheck | null;
  match: ClipMatch;
  otherFlags: OtherFlag[];
  error?: string;
}

const f = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined ? '-' : v.toFixed(digits);
const signed = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined ? '-' : `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
const pct = (v: number | null): string => (v === null ? '-' : `${Math.round(v * 100)}%`);

/** Plain text for the terminal, or a Markdown table (for the README). */
export type TableStyle = 'text' | 'markdown';

function table(rows: string[][], style: TableStyle = 'text'): string {
  if (style === 'markdown') {
    const [head = [], ...body] = rows;
    return [head, head.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r, ri) => {
      const line = r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
      return ri === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

export function formatKindTable(
  metrics: readonly KindMetrics[],
  style: TableStyle = 'text',
): string {
  const rows = [
    [
      'kind',
      'labels',
      'detected',
      'TP',
      'on time',
      'precision',
      'recall',
      'onset med/max (s)',
      'end med/max (s)',
      'delay med/max (s)',
    ],
  ];
  for (const m of metrics) {
    rows.push([
      m.kind,
      String(m.labels),
      String(m.detections),
      String(m.truePositives),
      String(m.onTime),
      pct(m.precision),
      pct(m.recall),
      m.onsetErrorS === null
        ? '-'
        : `${signed(m.onsetErrorS.median)} / ${signed(m.onsetErrorS.maxAbs)}`,
      m.endErrorS === null ? '-' : `${signed(m.endErrorS.median)} / ${signed(m.endErrorS.maxAbs)}`,
      m.delayS === null ? '-' : `${f(m.delayS.median)} / ${f(m.delayS.max)}`,
    ]);
  }
  return table(rows, style);
}

export function formatClip(r: ClipResult): string {
  const lines: string[] = [];
  const score = r.finalScore === null ? 'no score' : `score ${r.finalScore}`;
  const coverage = r.coverage === null ? '' : `, coverage ${pct(r.coverage)}`;
  lines.push(
    `${r.clip} (${r.durationS} s): ${r.error === undefined ? score + coverage : `FAILED: ${r.error}`}`,
  );
  for (const m of r.match.labels) {
    const found =
      m.detections.length === 0
        ? 'MISSED'
        : m.detections
            .map((d) => `${d.productKind} ${f(d.startS)}-${d.open ? 'open' : f(d.endS)}`)
            .join(', ');
    const errors =
      m.onsetErrorS === null
        ? ''
        : `  (onset ${signed(m.onsetErrorS)}, end ${signed(m.endErrorS)}, delay ${f(m.delayS)}${m.onTime ? '' : ', LATE/EARLY'})`;
    lines.push(
      `  expected ${m.label.kind} ${f(m.label.startS)}-${f(m.label.endS)} -> ${found}${errors}`,
    );
  }
  const unexpected = r.match.detections.filter((d) => !d.matched).map((d) => d.detection);
  for (const d of unexpected)
    lines.push(`  unexpected ${d.productKind} ${f(d.startS)}-${d.open ? 'open' : f(d.endS)}`);
  for (const o of r.otherFlags)
    lines.push(
      `  unexpected ${o.kind} ${f(o.startS)}-${o.endS === null ? 'open' : f(o.endS)} (no label kind)`,
    );
  if (r.match.labels.length === 0 && unexpected.length === 0 && r.otherFlags.length === 0)
    lines.push('  expected nothing, raised nothing');
  const notes: string[] = [];
  if (r.cameraOpens !== 1) notes.push(`camera opened ${r.cameraOpens} times (last one used)`);
  notes.push(
    `clock from ${r.clockSource === 'track-counter' ? "the track's frame counter" : 'capture timestamps'}` +
      (r.missedFrames > 0 ? `, ${r.missedFrames} frames the probe did not read` : ''),
  );
  if (r.contentCheck !== null)
    notes.push(
      r.contentCheck.clear
        ? `pictures agree with the clock at ${signed(r.contentCheck.offsetFrames, 0)} frames`
        : 'pictures too uniform to check the clock',
    );
  if (r.probedFps !== null) notes.push(`probe read ${r.probedFps.toFixed(2)} frames/s`);
  if (r.statusAtEnd !== null) notes.push(`page status near the end: "${r.statusAtEnd}"`);
  if (notes.length > 0) lines.push(`  (${notes.join('; ')})`);
  return lines.join('\n');
}

export function formatScores(results: readonly ClipResult[], style: TableStyle = 'text'): string {
  const rows = [['clip', 'score', 'expected', 'found on time', 'unexpected', 'clock vs pictures']];
  for (const r of results) {
    const unexpected = r.match.detections.filter((d) => !d.matched).length + r.otherFlags.length;
    rows.push([
      r.clip,
      r.finalScore === null ? '-' : String(r.finalScore),
      String(r.match.labels.length),
      `${r.match.labels.filter((m) => m.onTime).length}/${r.match.labels.length}`,
      String(unexpected),
      r.contentCheck === null
        ? '-'
        : r.contentCheck.clear
          ? `${signed(r.contentCheck.offsetFrames, 0)} frames`
          : 'flat',
    ]);
  }
  return table(rows, style);
}
