/**
 * Identity continuity: is the person in the chair still the one enrolled at calibration?
 *
 * Pure decision logic over a slow stream of comparisons (one every few seconds). Each comparison
 * is the cosine similarity between the face now and the face enrolled at calibration, computed on
 * the candidate's device; the descriptors themselves never reach this module or the network.
 *
 * Why the hysteresis: a face-recognition similarity drops with a turned head, dim light, a hand
 * over the face or a second face in the picture, for the same person. So
 *  - comparisons are only *usable* on one frontal-enough, big-enough, lit-enough face; anything
 *    else is "uncertain", never "different";
 *  - a usable comparison is a match above `matchThreshold`, a mismatch below `mismatchThreshold`,
 *    and ambiguous in between (the band is the hysteresis);
 *  - `identity_changed` starts only after `minMismatches` consecutive mismatches spanning at
 *    least `minMismatchSpanMs` (with no match or ambiguous comparison between them); it is dated
 *    from the first of them and ends at the first match (the enrolled person is back);
 *  - `identity_uncertain` (a measurement problem, never a penalty) starts when no usable
 *    comparison has been possible for `uncertainAfterMs`, and ends at the next usable one.
 */

/** Cosine similarity of two descriptors, clamped to 0..1 (0 for mismatched or zero vectors). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  const value = dot / Math.sqrt(na * nb);
  return Math.min(1, Math.max(0, value));
}

export interface IdentityOptions {
  /** Similarity at or above which the face is the enrolled person's (a match). */
  matchThreshold: number;
  /** Similarity below which the face is someone else's (a mismatch). */
  mismatchThreshold: number;
  /** Consecutive mismatches needed before `identity_changed`. */
  minMismatches: number;
  /** ... spanning at least this long, first to last (ms). */
  minMismatchSpanMs: number;
  /** Mismatches further apart than this are not one run (ms): the comparisons stalled. */
  maxGapMs: number;
  /** Usable only within this head turn of the enrolled pose (deg). */
  maxYawDeg: number;
  maxPitchDeg: number;
  /** Usable only when the face is at least this share of the frame's width. */
  minFaceWidthRatio: number;
  /** Usable only when the face crop's mean luma is within these bounds (0..255). */
  minFaceLuma: number;
  maxFaceLuma: number;
  /** No usable comparison for this long raises `identity_uncertain` (ms). */
  uncertainAfterMs: number;
}

/**
 * Defaults, from the measurements in README ("Identity check"): the same person frontal scores
 * well above `matchThreshold`, different people well below `mismatchThreshold`.
 */
export const DEFAULT_IDENTITY_OPTIONS: IdentityOptions = {
  matchThreshold: 0.65,
  mismatchThreshold: 0.55,
  minMismatches: 2,
  minMismatchSpanMs: 2_000,
  maxGapMs: 15_000,
  maxYawDeg: 25,
  maxPitchDeg: 15,
  minFaceWidthRatio: 0.08,
  minFaceLuma: 28,
  maxFaceLuma: 235,
  uncertainAfterMs: 20_000,
};

/** One comparison made on the device: scalars only. */
export interface IdentityComparison {
  /** Candidate clock, epoch ms, of the frame compared. */
  atMs: number;
  faceCount: number;
  /** The largest face; null when none was found. */
  face: {
    /** Head pose relative to the pose at enrolment (deg). */
    yawDeg: number;
    pitchDeg: number;
    /** Mean luma of the face crop, 0..255. */
    luma: number;
    /** Face width as a share of the frame width. */
    widthRatio: number;
    /** Cosine similarity to the enrolled face, 0..1. */
    similarity: number;
  } | null;
}

export type UnusableReason = 'no_face' | 'multiple_faces' | 'turned' | 'small' | 'dark' | 'bright';
export type ComparisonVerdict =
  | { kind: 'match' | 'mismatch' | 'ambiguous'; similarity: number }
  | { kind: 'unusable'; reason: UnusableReason };

/** What one comparison says on its own. */
export function judgeComparison(
  comparison: IdentityComparison,
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): ComparisonVerdict {
  const { face } = comparison;
  if (comparison.faceCount === 0 || face === null) return { kind: 'unusable', reason: 'no_face' };
  // With two faces the largest may be a visitor leaning in: multiple_faces already says so.
  if (comparison.faceCount > 1) return { kind: 'unusable', reason: 'multiple_faces' };
  if (Math.abs(face.yawDeg) > options.maxYawDeg || Math.abs(face.pitchDeg) > options.maxPitchDeg) {
    return { kind: 'unusable', reason: 'turned' };
  }
  if (face.widthRatio < options.minFaceWidthRatio) return { kind: 'unusable', reason: 'small' };
  if (face.luma < options.minFaceLuma) return { kind: 'unusable', reason: 'dark' };
  if (face.luma > options.maxFaceLuma) return { kind: 'unusable', reason: 'bright' };
  const { similarity } = face;
  if (similarity >= options.matchThreshold) return { kind: 'match', similarity };
  if (similarity < options.mismatchThreshold) return { kind: 'mismatch', similarity };
  return { kind: 'ambiguous', similarity };
}

export type IdentityEventKind = 'identity_changed' | 'identity_uncertain';

/** Same shape as the condition detector's emissions, so the monitor sends them alike. */
export interface IdentityEmission {
  eventId: string;
  kind: IdentityEventKind;
  phase: 'start' | 'end';
  startMs: number;
  endMs: number | null;
  durationMs: number | null;
  details: Record<string, number | string | boolean>;
}

export interface IdentityTracker {
  /** Feeds one comparison (in time order); returns the events it starts or ends. */
  step(comparison: IdentityComparison): IdentityEmission[];
  /** Ends every open event at `atMs` (leave, re-enrolment). */
  flush(atMs: number): IdentityEmission[];
  /** Open events, for the candidate's notices and the tests. */
  openKinds(): IdentityEventKind[];
}

interface OpenEvent {
  eventId: string;
  startMs: number;
  details: Record<string, number | string | boolean>;
}

export function createIdentityTracker(
  startMs: number,
  newEventId: () => string,
  options: IdentityOptions = DEFAULT_IDENTITY_OPTIONS,
): IdentityTracker {
  let mismatchRun: {
    firstMs: number;
    lastMs: number;
    count: number;
    minSimilarity: number;
  } | null = null;
  let lastUsableMs = startMs;
  let changed: OpenEvent | null = null;
  let uncertain: OpenEvent | null = null;

  const round3 = (x: number): number => Math.round(x * 1000) / 1000;

  function end(kind: IdentityEventKind, open: OpenEvent, atMs: number): IdentityEmission {
    const endMs = Math.max(open.startMs, atMs);
    return {
      eventId: open.eventId,
      kind,
      phase: 'end',
      startMs: open.startMs,
      endMs,
      durationMs: endMs - open.startMs,
      details: open.details,
    };
  }

  function start(kind: IdentityEventKind, open: OpenEvent): IdentityEmission {
    return {
      eventId: open.eventId,
      kind,
      phase: 'start',
      startMs: open.startMs,
      endMs: null,
      durationMs: null,
      details: open.details,
    };
  }

  return {
    step(comparison) {
      const out: IdentityEmission[] = [];
      const verdict = judgeComparison(comparison, options);
      const at = comparison.atMs;

      if (verdict.kind === 'unusable') {
        if (
          uncertain === null &&
          changed === null &&
          at - lastUsableMs >= options.uncertainAfterMs
        ) {
          uncertain = {
            eventId: newEventId(),
            startMs: lastUsableMs,
            details: { reason: verdict.reason },
          };
          out.push(start('identity_uncertain', uncertain));
        }
        return out;
      }

      lastUsableMs = at;
      if (uncertain !== null) {
        out.push(end('identity_uncertain', uncertain, at));
        uncertain = null;
      }

      if (verdict.kind === 'match') {
        mismatchRun = null;
        if (changed !== null) {
          out.push(end('identity_changed', changed, at));
          changed = null;
        }
        return out;
      }
      if (verdict.kind === 'ambiguous') {
        // Neither evidence of a change nor of the enrolled person: a run must be unbroken.
        if (changed === null) mismatchRun = null;
        return out;
      }

      // A mismatch.
      if (changed !== null) return out;
      if (mismatchRun === null || at - mismatchRun.lastMs > options.maxGapMs) {
        mismatchRun = { firstMs: at, lastMs: at, count: 1, minSimilarity: verdict.similarity };
      } else {
        mismatchRun = {
          firstMs: mismatchRun.firstMs,
          lastMs: at,
          count: mismatchRun.count + 1,
          minSimilarity: Math.min(mismatchRun.minSimilarity, verdict.similarity),
        };
      }
      if (
        mismatchRun.count >= options.minMismatches &&
        mismatchRun.lastMs - mismatchRun.firstMs >= options.minMismatchSpanMs
      ) {
        changed = {
          eventId: newEventId(),
          startMs: mismatchRun.firstMs,
          details: {
            comparisons: mismatchRun.count,
            minSimilarity: round3(mismatchRun.minSimilarity),
            threshold: options.mismatchThreshold,
          },
        };
        out.push(start('identity_changed', changed));
        mismatchRun = null;
      }
      return out;
    },

    flush(atMs) {
      const out: IdentityEmission[] = [];
      if (changed !== null) out.push(end('identity_changed', changed, atMs));
      if (uncertain !== null) out.push(end('identity_uncertain', uncertain, atMs));
      changed = null;
      uncertain = null;
      mismatchRun = null;
      lastUsableMs = atMs;
      return out;
    },

    openKinds() {
      const kinds: IdentityEventKind[] = [];
      if (changed !== null) kinds.push('identity_changed');
      if (uncertain !== null) kinds.push('identity_uncertain');
      return kinds;
    },
  };
}
