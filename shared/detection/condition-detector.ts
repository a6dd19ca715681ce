import type { EventKind } from '../protocol/integrity-event';
import type { Policy } from '../policy/policy';
import type { FrameVerdict, QualityIssue } from '../tracking/frame-features';

/**
 * Frame-level detection of the conditions that only the camera analysis can see.
 *
 * It reports attention and integrity signals for a human reviewer, never a decision, and it
 * never infers emotions, personality or other traits: each condition is a plain, observable fact
 * about the video (how many faces, whether the head and gaze point at the screen, whether the
 * frame could be measured at all).
 *
 * The per-frame verdict is noisy, so every condition is debounced:
 *
 * - A condition must hold on every analysed frame for at least its `*MinMs`
 *   (`policy.detection`) before `start` is emitted. A single frame without it resets that
 *   pending run: brief glances and detector hiccups never become events, which errs on the
 *   candidate's side. Confirmation needs positive evidence: a frame that still shows the
 *   condition at least `*MinMs` after the first one. `startMs` is when the run began, not when
 *   it was confirmed.
 * - Once open, the event ends only after the condition has been absent for `endGraceMs`, so a
 *   flicker shorter than that does not split one event into two. `endMs` is the first frame
 *   without the condition (when it stopped, not when the end was confirmed).
 * - Frames further apart than `maxFrameGapMs` are not continuous evidence (the tab was hidden,
 *   the tracker stalled): open events end at the last frame that still showed them and pending
 *   runs start over, so a hidden tab never also counts as a long "looking away".
 * - Frames older than the newest one seen are ignored: time only moves forward.
 *
 * Which frames show which condition:
 *
 * - `poor_quality`: the frame is not usable (too dark, glare, blur, covered camera).
 * - `no_face`: a usable frame with no face.
 * - `multiple_faces`: a usable frame with two or more faces.
 * - `looking_away`: a usable frame with exactly one face whose head or gaze points away
 *   (`onScreen === false`).
 *
 * A frame too poor to measure is never evidence against the candidate: an unusable frame counts
 * only toward `poor_quality` (a measurement note, never penalised). For the three face
 * conditions it counts as "condition absent", so it interrupts them: darkness neither starts nor
 * extends `no_face` (a pending run resets; an open event starts its end grace and ends at the
 * first dark frame if the darkness lasts `endGraceMs`).
 */

/** The conditions derived from tracking, in the order a frame's emissions are produced. */
export const CONDITION_KINDS = [
  'no_face',
  'multiple_faces',
  'looking_away',
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

/** Tie-break order when two quality issues were seen equally often. */
const ISSUE_ORDER: readonly QualityIssue[] = ['dark', 'glare', 'blur', 'covered', 'none'];

/** A condition currently holding: pending until it has an eventId, then open. */
interface Run {
  sinceMs: number;
  /** Newest frame that showed the condition. */
  lastSeenMs: number;
  frames: number;
  maxFaceCount: number;
  issueFrames: Map<QualityIssue, number>;
  eventId: string | null;
  /** Open events only: the first frame of the current absence, null while the condition holds. */
  absentSinceMs: number | null;
}

function holds(kind: ConditionKind, verdict: FrameVerdict): boolean {
  switch (kind) {
    case 'poor_quality':
      return !verdict.usable;
    case 'no_face':
      return verdict.usable && verdict.faceCount === 0;
    case 'multiple_faces':
      return verdict.usable && verdict.faceCount >= 2;
    case 'looking_away':
      return verdict.usable && verdict.faceCount === 1 && verdict.onScreen === false;
  }
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

function detailsOf(
  kind: ConditionKind,
  run: Run,
  minMs: number,
): Record<string, number | string | boolean> {
  const details: Record<string, number | string | boolean> = {
    frames: run.frames,
    maxFaceCount: run.maxFaceCount,
    minMs,
  };
  if (kind === 'poor_quality') details.issue = dominantIssue(run.issueFrames);
  return details;
}

export function createConditionDetector(
  policy: Policy,
  newEventId: () => string,
  options: Partial<ConditionDetectorOptions> = {},
): ConditionDetector {
  const { maxFrameGapMs } = { ...DEFAULT_CONDITION_DETECTOR_OPTIONS, ...options };
  const { endGraceMs } = policy.detection;
  const runs = new Map<ConditionKind, Run>();
  let lastFrameMs: number | null = null;

  function end(kind: ConditionKind, run: Run, endMs: number): DetectorEmission {
    const eventId = run.eventId ?? '';
    const clampedEndMs = Math.max(run.sinceMs, endMs);
    return {
      eventId,
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

  function step(verdict: FrameVerdict): DetectorEmission[] {
    const tMs = verdict.timestampMs;
    if (!Number.isFinite(tMs) || (lastFrameMs !== null && tMs < lastFrameMs)) return [];
    const out: DetectorEmission[] = [];
    if (lastFrameMs !== null && tMs - lastFrameMs > maxFrameGapMs) {
      // Unobserved gap: the condition is known to have held only until its last frame.
      out.push(...closeAll((run) => run.absentSinceMs ?? run.lastSeenMs));
    }
    lastFrameMs = tMs;

    for (const kind of CONDITION_KINDS) {
      const run = runs.get(kind);
      if (holds(kind, verdict)) {
        const current: Run = run ?? {
          sinceMs: tMs,
          lastSeenMs: tMs,
          frames: 0,
          maxFaceCount: 0,
          issueFrames: new Map(),
          eventId: null,
          absentSinceMs: null,
        };
        current.absentSinceMs = null;
        current.lastSeenMs = tMs;
        current.frames += 1;
        current.maxFaceCount = Math.max(current.maxFaceCount, verdict.faceCount);
        current.issueFrames.set(
          verdict.qualityIssue,
          (current.issueFrames.get(verdict.qualityIssue) ?? 0) + 1,
        );
        runs.set(kind, current);
        const minMs = minMsFor(kind, policy);
        if (current.eventId === null && tMs - current.sinceMs >= minMs) {
          current.eventId = newEventId();
          out.push({
            eventId: current.eventId,
            kind,
            phase: 'start',
            startMs: current.sinceMs,
            endMs: null,
            durationMs: null,
            details: detailsOf(kind, current, minMs),
          });
        }
      } else if (run !== undefined) {
        if (run.eventId === null) {
          // Pending runs must hold continuously: one frame without the condition resets them.
          runs.delete(kind);
          continue;
        }
        run.absentSinceMs ??= tMs;
        if (tMs - run.absentSinceMs >= endGraceMs) {
          out.push(end(kind, run, run.absentSinceMs));
          runs.delete(kind);
        }
      }
    }
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
