import type { EventKind } from '../protocol/integrity-event';
import type { Policy } from '../policy/policy';
import type { FrameVerdict, QualityIssue } from '../tracking/frame-features';

/**
 * Frame-level detection of the conditions that only the camera analysis can see.
 *
 * It reports attention and integrity signals for a human reviewer, never a decision, and it
 * never infers emotions, personality or other traits: each condition is a plain, observable fact
 * about the video (how many faces, whether the head and eyes point at the screen, whether the
 * camera was covered, whether the frame could be read at all).
 *
 * ── What each frame says ──────────────────────────────────────────────────────────────────
 * Every frame is evidence FOR a condition ("yes"), AGAINST it ("no"), or neither ("hold": the
 * frame says nothing about it). Both no and hold interrupt a run (see bridging below): darkness
 * or a lost face never extends a condition, and never adds up two short runs into one.
 *
 * - `no_face`: yes on a readable frame without a face (readable = judgeFrame's `usable`); no on
 *   a frame with a face or a covered camera; hold on an unreadable faceless frame.
 * - `multiple_faces`: yes with two or more faces; no with one; hold without any.
 * - `looking_away`: yes when the one face looks away (head yaw or pitch, or the eyes, beyond
 *   their limits; while a look-away is already running, beyond the release shares of them:
 *   hysteresis, so a measurement hovering at a limit does not chop one look-away into pieces);
 *   no when it looks at the screen. A face lost while looking
 *   away still counts as looking away (MediaPipe loses faces turned beyond about 45°) until
 *   `lostFaceAfterTurnMs`; a loss that lasts longer is an absence from its first frame on.
 * - `camera_covered`: yes on a faceless frame whose picture collapsed from the recent good
 *   picture (luminance below `coveredLuminanceShare` and sharpness below
 *   `coveredSharpnessShare` of their reference, or sharpness alone below a fifth of it) or that
 *   is dark and featureless outright; no on a frame with a face or a readable faceless frame.
 *   The reference follows the frames with a face, so a room that dims slowly (or a lamp going
 *   off while the face is still found) never reads as covered. A covered frame is not `no_face`
 *   evidence: the cover is reported as such, and the score weighs it like absence.
 * - `poor_quality` (a measurement note, never penalised): yes on an unreadable frame.
 *
 * ── From frames to events ─────────────────────────────────────────────────────────────────
 * - A run starts at the first yes frame. Short interruptions (no or hold frames for less than
 *   `dropoutBridgeMs`) are bridged: the run goes on with its last state, so a detector dropout
 *   or a single frame under a limit never restarts the count. The exception is a face seen
 *   during a pending no_face: that is positive evidence of presence (dropouts are the other
 *   way round), so scattered dropouts never add up to an absence.
 * - The event starts (is confirmed) on the first yes frame at least `*MinMs` after the run
 *   began, whatever bridged dropouts fell inside. `startMs` is when the run began.
 * - An open event ends after `endGraceMs` without yes; `endMs` is the first frame without it.
 * - Frames further apart than `maxFrameGapMs` are not continuous evidence (the tab was hidden,
 *   the tracker stalled): open events end at the last frame that still showed them and pending
 *   runs start over, so a hidden tab never also counts as a long "looking away".
 * - Frames older than the newest one seen are ignored: time only moves forward.
 *
 * Each event's `details` carry the evidence behind it (counts and angles, never pixels): frames
 * seen, dropouts bridged, the peak yaw / pitch / gaze of a look-away, the faces counted, the
 * luminance drop of a cover.
 */

/** The conditions derived from tracking, in the order a frame's emissions are produced. */
export const CONDITION_KINDS = [
  'no_face',
  'multiple_faces',
  'looking_away',
  'camera_covered',
  'poor_quality',
] as const satisfies readonly EventKind[];
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** One report the caller turns into an IntegrityEvent (adding stream and seq). */
export interface DetectorEmission {
  eventId: string;
  kind: ConditionKind;
  phase: 'start' | 'end';
  /** Candidate clock, epoch ms: the first frame that showed the condition. */
  startMs: number;
  /** The first frame without the condition; null on `start`. */
  endMs: number | null;
  durationMs: number | null;
  /** Counts only, never pixels: fits EventDetailsSchema (<= 12 short fields). */
  details: Record<string, number | string | boolean>;
}

export interface ConditionDetector {
  /** Feeds one analysed frame; returns the starts and ends it confirmed (often none). */
  step(verdict: FrameVerdict): DetectorEmission[];
  /** Ends every open event at `atMs` (leave, recalibration, camera stop) and forgets pending runs. */
  flush(atMs: number): DetectorEmission[];
  /** Conditions with an open (confirmed, not yet ended) event, for the candidate's notices. */
  openConditions(): ConditionKind[];
}

export interface ConditionDetectorOptions {
  /**
   * Frames further apart than this (ms) are not continuous evidence. Slow devices still analyse
   * at 2 fps or more, so a longer gap means the analysis stopped, not that the scene held still.
   */
  maxFrameGapMs: number;
}

export const DEFAULT_CONDITION_DETECTOR_OPTIONS: Readonly<ConditionDetectorOptions> = {
  maxFrameGapMs: 2000,
};

/** Weight of a new good frame in the reference picture (about a second to follow a change). */
const REFERENCE_SMOOTHING = 0.15;
/** Sharpness below this share of the reference is a covered lens by itself (defocused). */
const COVERED_SHARPNESS_ALONE_SHARE = 0.2;

/** Tie-break order when two quality issues were seen equally often. */
const ISSUE_ORDER: readonly QualityIssue[] = ['dark', 'glare', 'blur', 'covered', 'none'];

type Evidence = 'yes' | 'no' | 'hold';

/** A condition currently holding: pending until it has an eventId, then open. */
interface Run {
  sinceMs: number;
  /** Newest yes frame. */
  lastSeenMs: number;
  /** First frame of the current interruption (no or hold), null while the condition holds. */
  absentSinceMs: number | null;
  frames: number;
  /** Frames inside the run that were bridged (no face found, or under the limit for a moment). */
  bridged: number;
  maxFaceCount: number;
  issueFrames: Map<QualityIssue, number>;
  eventId: string | null;
  /** When the event was confirmed: it never ends before that (see step). */
  confirmedAtMs: number | null;
  /** Signed peaks of a look-away (largest magnitude seen). */
  peakYawDeg: number;
  peakPitchDeg: number;
  peakGazeDeg: number;
  /** Face lost while this look-away ran: since when (null while the face is seen). */
  faceLostSinceMs: number | null;
  /** Cover: the reference picture before it and the darkest, softest frame under it. */
  referenceLuminance: number | null;
  referenceSharpness: number | null;
  minLuminance: number | null;
  minSharpness: number | null;
}

function newRun(tMs: number): Run {
  return {
    sinceMs: tMs,
    lastSeenMs: tMs,
    absentSinceMs: null,
    frames: 0,
    bridged: 0,
    maxFaceCount: 0,
    issueFrames: new Map(),
    eventId: null,
    confirmedAtMs: null,
    peakYawDeg: 0,
    peakPitchDeg: 0,
    peakGazeDeg: 0,
    faceLostSinceMs: null,
    referenceLuminance: null,
    referenceSharpness: null,
    minLuminance: null,
    minSharpness: null,
  };
}

function minMsFor(kind: ConditionKind, policy: Policy): number {
  const d = policy.detection;
  switch (kind) {
    case 'no_face':
      return d.noFaceMinMs;
    case 'multiple_faces':
      return d.multipleFacesMinMs;
    case 'looking_away':
      return d.lookingAwayMinMs;
    case 'camera_covered':
      return d.cameraCoveredMinMs;
    case 'poor_quality':
      return d.poorQualityMinMs;
  }
}

function dominantIssue(issueFrames: ReadonlyMap<QualityIssue, number>): QualityIssue {
  let best: QualityIssue = 'none';
  let bestCount = 0;
  for (const issue of ISSUE_ORDER) {
    const count = issueFrames.get(issue) ?? 0;
    if (count > bestCount) {
      best = issue;
      bestCount = count;
    }
  }
  return best;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function detailsOf(
  kind: ConditionKind,
  run: Run,
  minMs: number,
): Record<string, number | string | boolean> {
  const details: Record<string, number | string | boolean> = {
    frames: run.frames,
    bridgedFrames: run.bridged,
    maxFaceCount: run.maxFaceCount,
    minMs,
  };
  if (kind === 'poor_quality') details.issue = dominantIssue(run.issueFrames);
  if (kind === 'looking_away') {
    details.peakYawDeg = round1(run.peakYawDeg);
    details.peakPitchDeg = round1(run.peakPitchDeg);
    details.peakGazeDeg = round1(run.peakGazeDeg);
  }
  if (kind === 'camera_covered') {
    if (run.referenceLuminance !== null) details.luminanceBefore = round1(run.referenceLuminance);
    if (run.minLuminance !== null) details.luminanceMin = round1(run.minLuminance);
    if (
      run.referenceLuminance !== null &&
      run.minLuminance !== null &&
      run.referenceLuminance > 0
    ) {
      details.luminanceDrop =
        Math.round((1 - run.minLuminance / run.referenceLuminance) * 100) / 100;
    }
    if (
      run.referenceSharpness !== null &&
      run.minSharpness !== null &&
      run.referenceSharpness > 0
    ) {
      details.sharpnessDrop =
        Math.round((1 - run.minSharpness / run.referenceSharpness) * 100) / 100;
    }
  }
  return details;
}

const signedPeak = (peak: number, value: number): number =>
  Math.abs(value) > Math.abs(peak) ? value : peak;

export function createConditionDetector(
  policy: Policy,
  newEventId: () => string,
  options: Partial<ConditionDetectorOptions> = {},
): ConditionDetector {
  const { maxFrameGapMs } = { ...DEFAULT_CONDITION_DETECTOR_OPTIONS, ...options };
  const d = policy.detection;
  const runs = new Map<ConditionKind, Run>();
  let lastFrameMs: number | null = null;
  /** The recent good picture (frames with a face, or readable ones): what a cover collapses from. */
  let referenceLuminance: number | null = null;
  let referenceSharpness: number | null = null;

  function end(kind: ConditionKind, run: Run, endMs: number): DetectorEmission {
    // A look-away confirmed on a lost face that then stayed lost ends where the face was lost,
    // but never before it was confirmed: it was reported as seen until then.
    const clampedEndMs = Math.max(run.sinceMs, run.confirmedAtMs ?? run.sinceMs, endMs);
    return {
      eventId: run.eventId ?? '',
      kind,
      phase: 'end',
      startMs: run.sinceMs,
      endMs: clampedEndMs,
      durationMs: clampedEndMs - run.sinceMs,
      details: detailsOf(kind, run, minMsFor(kind, policy)),
    };
  }

  /** Ends open events at their last evidence and drops pending runs. */
  function closeAll(endOf: (run: Run) => number): DetectorEmission[] {
    const out: DetectorEmission[] = [];
    for (const kind of CONDITION_KINDS) {
      const run = runs.get(kind);
      if (run?.eventId != null) out.push(end(kind, run, endOf(run)));
    }
    runs.clear();
    return out;
  }

  function isCovered(verdict: FrameVerdict): boolean {
    if (verdict.faceCount > 0) return false;
    if (verdict.qualityIssue === 'covered') return true;
    const { luminance, sharpness } = verdict;
    if (luminance == null || sharpness == null) return false;
    if (referenceLuminance === null || referenceSharpness === null) return false;
    const darker = luminance < d.coveredLuminanceShare * referenceLuminance;
    const softer = sharpness < d.coveredSharpnessShare * referenceSharpness;
    return (darker && softer) || sharpness < COVERED_SHARPNESS_ALONE_SHARE * referenceSharpness;
  }

  function updateReference(verdict: FrameVerdict, covered: boolean): void {
    const { luminance, sharpness } = verdict;
    if (covered || luminance == null || sharpness == null) return;
    if (!(verdict.faceCount > 0 || verdict.qualityIssue === 'none')) return;
    referenceLuminance =
      referenceLuminance === null
        ? luminance
        : referenceLuminance + REFERENCE_SMOOTHING * (luminance - referenceLuminance);
    referenceSharpness =
      referenceSharpness === null
        ? sharpness
        : referenceSharpness + REFERENCE_SMOOTHING * (sharpness - referenceSharpness);
  }

  /**
   * Whether the one face looks away. Starting needs a limit crossed; a running look-away goes on
   * while the head stays beyond lookingAwayHeadRelease and the eyes beyond
   * lookingAwayReleaseRatio of their limits (head angles are steady, the iris estimate jitters).
   */
  function looksAway(verdict: FrameVerdict, running: boolean): boolean | null {
    const relative = verdict.relative;
    if (relative == null) {
      return verdict.onScreen == null ? null : !verdict.onScreen;
    }
    const { maxYawDeg, maxPitchDeg, maxGazeDeg } = policy.tracking;
    const head = running ? d.lookingAwayHeadRelease : 1;
    const eyes = running ? d.lookingAwayReleaseRatio : 1;
    return (
      Math.abs(relative.yawDeg) > maxYawDeg * head ||
      Math.abs(relative.pitchDeg) > maxPitchDeg * head ||
      Math.abs(relative.gazeDeg) > maxGazeDeg * eyes
    );
  }

  function lookingAwayEvidence(verdict: FrameVerdict, run: Run | undefined): Evidence {
    if (verdict.faceCount === 0) {
      // Lost while turned away: MediaPipe drops faces turned far aside. The look-away goes on.
      if (run !== undefined && run.absentSinceMs === null) {
        run.faceLostSinceMs ??= verdict.timestampMs;
        return verdict.timestampMs - run.faceLostSinceMs < d.lostFaceAfterTurnMs ? 'yes' : 'no';
      }
      return verdict.usable ? 'no' : 'hold';
    }
    if (verdict.faceCount >= 2) return 'hold';
    const away = looksAway(verdict, run !== undefined);
    if (away === null) return 'hold';
    return away ? 'yes' : 'no';
  }

  function evidenceFor(
    kind: ConditionKind,
    verdict: FrameVerdict,
    covered: boolean,
    run: Run | undefined,
  ): Evidence {
    const faces = verdict.faceCount;
    switch (kind) {
      case 'no_face':
        if (faces > 0 || covered) return 'no';
        return verdict.usable ? 'yes' : 'hold';
      case 'multiple_faces':
        if (faces >= 2) return 'yes';
        // A frame where the detector found nobody says nothing about how many people are there.
        return faces === 1 ? 'no' : 'hold';
      case 'looking_away':
        return lookingAwayEvidence(verdict, run);
      case 'camera_covered':
        if (covered) return 'yes';
        return verdict.usable ? 'no' : 'hold';
      case 'poor_quality':
        return !verdict.usable && !covered ? 'yes' : 'no';
    }
  }

  function observe(run: Run, kind: ConditionKind, verdict: FrameVerdict): void {
    const tMs = verdict.timestampMs;
    if (run.absentSinceMs !== null) run.bridged += 1;
    run.absentSinceMs = null;
    run.lastSeenMs = tMs;
    run.frames += 1;
    run.maxFaceCount = Math.max(run.maxFaceCount, verdict.faceCount);
    run.issueFrames.set(verdict.qualityIssue, (run.issueFrames.get(verdict.qualityIssue) ?? 0) + 1);
    if (kind === 'looking_away') {
      if (verdict.faceCount > 0) run.faceLostSinceMs = null;
      if (verdict.relative != null) {
        run.peakYawDeg = signedPeak(run.peakYawDeg, verdict.relative.yawDeg);
        run.peakPitchDeg = signedPeak(run.peakPitchDeg, verdict.relative.pitchDeg);
        run.peakGazeDeg = signedPeak(run.peakGazeDeg, verdict.relative.gazeDeg);
      }
    }
    if (kind === 'camera_covered') {
      run.referenceLuminance ??= referenceLuminance;
      run.referenceSharpness ??= referenceSharpness;
      if (verdict.luminance != null) {
        run.minLuminance = Math.min(run.minLuminance ?? verdict.luminance, verdict.luminance);
      }
      if (verdict.sharpness != null) {
        run.minSharpness = Math.min(run.minSharpness ?? verdict.sharpness, verdict.sharpness);
      }
    }
  }

  /** A faceless stretch still counted as a look-away (face lost mid-turn) is not yet an absence. */
  function heldByLookAway(kind: ConditionKind): boolean {
    if (kind !== 'no_face') return false;
    const look = runs.get('looking_away');
    return look !== undefined && look.faceLostSinceMs !== null && look.absentSinceMs === null;
  }

  function step(verdict: FrameVerdict): DetectorEmission[] {
    const tMs = verdict.timestampMs;
    if (!Number.isFinite(tMs) || (lastFrameMs !== null && tMs < lastFrameMs)) return [];
    const out: DetectorEmission[] = [];
    if (lastFrameMs !== null && tMs - lastFrameMs > maxFrameGapMs) {
      // Unobserved gap: the condition is known to have held only until its last frame.
      out.push(...closeAll((run) => run.absentSinceMs ?? run.lastSeenMs));
    }
    lastFrameMs = tMs;
    const covered = isCovered(verdict);

    for (const kind of CONDITION_KINDS) {
      let run = runs.get(kind);
      const evidence = evidenceFor(kind, verdict, covered, run);
      if (evidence === 'yes') {
        if (run === undefined) {
          run = newRun(tMs);
          runs.set(kind, run);
        }
        observe(run, kind, verdict);
        const minMs = minMsFor(kind, policy);
        // A look-away is confirmed only on a frame that shows the face turned away: frames where
        // the face was lost carry it along but cannot make a glance into a look-away.
        const observed = kind !== 'looking_away' || verdict.faceCount > 0;
        if (
          run.eventId === null &&
          observed &&
          tMs - run.sinceMs >= minMs &&
          !heldByLookAway(kind)
        ) {
          run.eventId = newEventId();
          run.confirmedAtMs = tMs;
          out.push({
            eventId: run.eventId,
            kind,
            phase: 'start',
            startMs: run.sinceMs,
            endMs: null,
            durationMs: null,
            details: detailsOf(kind, run, minMs),
          });
        }
        continue;
      }
      if (run === undefined) continue;
      // A look-away whose lost face stayed lost too long: it ended where the face was lost.
      const interruptedAtMs =
        kind === 'looking_away' && run.faceLostSinceMs !== null ? run.faceLostSinceMs : tMs;
      run.absentSinceMs ??= interruptedAtMs;
      const absentMs = tMs - run.absentSinceMs;
      if (run.eventId === null) {
        // A face seen is no dropout: it ends a pending absence at once, so scattered detector
        // dropouts never add up to a no_face. Everything else is bridged when short.
        const faceSeen = kind === 'no_face' && evidence === 'no' && verdict.faceCount > 0;
        if (faceSeen || absentMs >= d.dropoutBridgeMs) runs.delete(kind);
      } else if (absentMs >= d.endGraceMs) {
        out.push(end(kind, run, run.absentSinceMs));
        runs.delete(kind);
      }
    }
    updateReference(verdict, covered);
    return out;
  }

  function flush(atMs: number): DetectorEmission[] {
    const out = closeAll((run) => {
      if (run.absentSinceMs !== null) return run.absentSinceMs;
      // Leaving long after the last frame: the condition is known only up to that frame.
      if (lastFrameMs !== null && atMs - lastFrameMs > maxFrameGapMs) return run.lastSeenMs;
      return Math.max(atMs, run.lastSeenMs);
    });
    lastFrameMs = null;
    return out;
  }

  function openConditions(): ConditionKind[] {
    return CONDITION_KINDS.filter((kind) => runs.get(kind)?.eventId != null);
  }

  return { step, flush, openConditions };
}
