/**
 * Matching detected flags to labelled ones, and the figures per kind. Pure: no I/O, no clock.
 * All times are clip seconds (see clip-clock.ts).
 */

/** The kinds the evaluation scores, in the labels' vocabulary. */
export const SCORED_KINDS = [
  'no_face',
  'multiple_faces',
  'looking_away',
  'reading',
  'identity_changed',
] as const;
export type ScoredKind = (typeof SCORED_KINDS)[number];

/**
 * The clips label a covered camera `no_face` (nobody can be seen); the product may call it
 * `camera_covered`. Both count for the `no_face` label.
 */
export const PRODUCT_KIND_TO_LABEL: Readonly<Record<string, ScoredKind>> = {
  no_face: 'no_face',
  camera_covered: 'no_face',
  multiple_faces: 'multiple_faces',
  looking_away: 'looking_away',
  reading: 'reading',
  identity_changed: 'identity_changed',
};

/** Bounds from the issues' "Done when": how close an edge must be to count as on time. */
export const EDGE_BOUNDS_S: Readonly<Record<ScoredKind, { onset: number; end: number | null }>> = {
  no_face: { onset: 1, end: 1.5 },
  multiple_faces: { onset: 1, end: 1.5 },
  looking_away: { onset: 1, end: 1.5 },
  reading: { onset: 2, end: 2 },
  // Issue 11 asks for the onset within 5 s; the end is reported, not judged.
  identity_changed: { onset: 5, end: null },
};

/** Slack around a label when deciding whether a detection belongs to it. */
export const MATCH_TOLERANCE_S = 1;

export interface LabelledInterval {
  kind: ScoredKind;
  startS: number;
  endS: number;
}

export interface DetectedInterval {
  flagId: string;
  /** The product's kind (e.g. camera_covered). */
  productKind: string;
  kind: ScoredKind;
  startS: number;
  /** Clipped to the scored span; `open` says the product had not ended it. */
  endS: number;
  open: boolean;
  /** When the flag's start reached the server, in clip seconds; null if unknown. */
  receivedS: number | null;
}

export interface LabelMatch {
  label: LabelledInterval;
  /** Detections overlapping the label (with tolerance), earliest first. */
  detections: DetectedInterval[];
  /** Earliest detected start - label start. */
  onsetErrorS: number | null;
  /** Latest detected end - label end. */
  endErrorS: number | null;
  /** First detection's arrival at the server - label start. */
  delayS: number | null;
  onTime: boolean;
}

export interface ClipMatch {
  labels: LabelMatch[];
  detections: { detection: DetectedInterval; matched: boolean }[];
}

/** Length of the overlap of d with the label widened by toleranceS each side (0 if none). */
function overlapS(d: DetectedInterval, l: LabelledInterval, toleranceS: number): number {
  return Math.max(
    0,
    Math.min(d.endS, l.endS + toleranceS) - Math.max(d.startS, l.startS - toleranceS),
  );
}

/**
 * A detection matches a label of the same kind when their intervals overlap, with `toleranceS`
 * of slack on the label's edges. Each detection belongs to at most one label, the one it overlaps
 * most (the earlier on a tie), so one long flag spanning two labels finds only one of them. A
 * label may collect several detections (a split flag): each counts as a true detection, the
 * onset comes from the first and the end from the last, and the split shows in the listing.
 */
export function matchClip(
  labels: readonly LabelledInterval[],
  detected: readonly DetectedInterval[],
  toleranceS = MATCH_TOLERANCE_S,
): ClipMatch {
  const sorted = [...detected].sort((a, b) => a.startS - b.startS);
  const assigned = labels.map((): DetectedInterval[] => []);
  for (const d of sorted) {
    let best = -1;
    let bestOverlap = 0;
    labels.forEach((l, i) => {
      if (l.kind !== d.kind) return;
      const o = overlapS(d, l, toleranceS);
      if (o > bestOverlap) {
        best = i;
        bestOverlap = o;
      }
    });
    if (best >= 0) assigned[best]?.push(d);
  }
  const labelMatches = labels.map((label, i): LabelMatch => {
    const hits = assigned[i] ?? [];
    const first = hits[0];
    if (first === undefined)
      return {
        label,
        detections: [],
        onsetErrorS: null,
        endErrorS: null,
        delayS: null,
        onTime: false,
      };
    const onsetErrorS = first.startS - label.startS;
    const endErrorS = Math.max(...hits.map((d) => d.endS)) - label.endS;
    const bounds = EDGE_BOUNDS_S[label.kind];
    const onTime =
      Math.abs(onsetErrorS) <= bounds.onset &&
      (bounds.end === null || Math.abs(endErrorS) <= bounds.end);
    return {
      label,
      detections: hits,
      onsetErrorS,
      endErrorS,
      delayS: first.receivedS === null ? null : first.receivedS - label.startS,
      onTime,
    };
  });
  const matchedIds = new Set(labelMatches.flatMap((m) => m.detections.map((d) => d.flagId)));
  return {
    labels: labelMatches,
    detections: sorted.map((detection) => ({
      detection,
      matched: matchedIds.has(detection.flagId),
    })),
  };
}

export interface KindMetrics {
  kind: ScoredKind;
  labels: number;
  detections: number;
  /** Labels found. */
  truePositives: number;
  /** Labels found with both edges inside EDGE_BOUNDS_S. */
  onTime: number;
  /** null when there is nothing to divide by. */
  precision: number | null;
  recall: number | null;
  onsetErrorS: { median: number; maxAbs: number } | null;
  endErrorS: { median: number; maxAbs: number } | null;
  delayS: { median: number; max: number } | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The value of largest magnitude, sign kept (an onset 2 s early shows as -2). */
function maxAbs(values: readonly number[]): number {
  return values.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
}

function errorSummary(values: readonly number[]): { median: number; maxAbs: number } | null {
  const m = median(values);
  return m === null ? null : { median: m, maxAbs: maxAbs(values) };
}

/** Precision, recall and edge errors per kind over a set of clips. */
export function kindMetrics(clips: readonly ClipMatch[]): KindMetrics[] {
  return SCORED_KINDS.map((kind) => {
    const labels = clips.flatMap((c) => c.labels.filter((m) => m.label.kind === kind));
    const detections = clips.flatMap((c) => c.detections.filter((d) => d.detection.kind === kind));
    const found = labels.filter((m) => m.detections.length > 0);
    const matchedDetections = detections.filter((d) => d.matched).length;
    const onsets = found.flatMap((m) => (m.onsetErrorS === null ? [] : [m.onsetErrorS]));
    const ends = found.flatMap((m) => (m.endErrorS === null ? [] : [m.endErrorS]));
    const delays = found.flatMap((m) => (m.delayS === null ? [] : [m.delayS]));
    const delayMedian = median(delays);
    return {
      kind,
      labels: labels.length,
      detections: detections.length,
      truePositives: found.length,
      onTime: found.filter((m) => m.onTime).length,
      precision: detections.length === 0 ? null : matchedDetections / detections.length,
      recall: labels.length === 0 ? null : found.length / labels.length,
      onsetErrorS: errorSummary(onsets),
      endErrorS: errorSummary(ends),
      delayS: delayMedian === null ? null : { median: delayMedian, max: Math.max(...delays) },
    };
  });
}
