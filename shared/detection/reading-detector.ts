/**
 * Reading detection from horizontal gaze: a candidate reading an answer from text (an overlay on
 * the screen, a window beside the camera, notes below it) moves the eyes along each line in small
 * fixation steps, then sweeps back to the start of the next line. Over several lines that is a
 * horizontal sawtooth: a slow drift one way, a fast return the other way, every 1-6 s.
 *
 * Webcam gaze is noisy (about a degree per frame from MediaPipe's iris landmarks, and a rendered
 * 11-14° return sweep reads as 6-9°), so single saccades are not evidence. The rule keys on the
 * return sweeps and on what happens between them:
 *
 * 1. **Steps.** A step at frame i is the difference between the median gaze in the `stepWindowMs`
 *    after it and the median in the `stepWindowMs` before it; local extremes of at least
 *    `minStepDeg` (and `stepNoiseFactor` times the measured frame-to-frame noise) are fast steps.
 *    Medians make one odd frame harmless.
 * 2. **Lines.** The stretch between two consecutive fast steps is a line when it lasts
 *    `minLineMs`..`maxLineMs`, the gaze drifts the other way by at least `minDriftDeg` (linear fit)
 *    steadily (correlation with time <= -`minDriftCorrelation`), and the head holds still
 *    (yaw and pitch ranges <= `maxHeadRangeDeg`). Holding a glance and coming back has no drift;
 *    looking around has jumps inside; neither is a line.
 * 3. **Rhythm.** Lines that follow each other directly, each new one opened by a return sweep
 *    (a rise, in the orientation being tested) roughly as large as the drift before it and landing
 *    near the previous line's start (the text's margin), form a chain. A chain with at least
 *    `minSweeps` rise-opened lines and lasting at least `minDurationMs` is reading. The first line
 *    may be opened by the glance onto the text; when that glance is a rise it counts as a sweep,
 *    which is what lets a slow three-line read (two true return sweeps) count.
 * 4. **Direction.** Whether gaze falls or rises along a line depends on the reading direction and
 *    on whether the camera image is mirrored. Both orientations are tested and a chain in either
 *    counts.
 *
 * The interval runs from the first line's opening step to the last line's end: its closing step
 * (usually the glance back to the interviewer), or where its drift ended when nothing closes it.
 *
 * Pure: no clock, no I/O. `analyseReading` is the batch rule; `createReadingDetector` runs it over
 * a rolling buffer frame by frame and turns chains into start and end reports.
 */

/** One analysed frame, as the monitor sees it. */
export interface ReadingFrame {
  /** Capture time, ms (any monotonic clock). */
  timeMs: number;
  /**
   * Horizontal gaze, degrees, > 0 towards the image's right; relative to calibration or absolute
   * (only changes matter here). Null when no gaze was measured (no face, eyes closed).
   */
  gazeHDeg: number | null;
  /** Head yaw and pitch, degrees; null when unknown. */
  yawDeg: number | null;
  pitchDeg: number | null;
}

export interface ReadingOptions {
  stepWindowMs: number;
  minStepDeg: number;
  stepNoiseFactor: number;
  minLineMs: number;
  maxLineMs: number;
  minDriftDeg: number;
  minDriftCorrelation: number;
  maxHeadRangeDeg: number;
  /** A sweep's rise must be at least this share of the drift of the line before it. */
  minSweepToDrift: number;
  /** A fall (along the drift) closes a line when at least this many times the step threshold. */
  bigFallFactor: number;
  /** Line starts (after each sweep) may differ by at most this much plus half the mean sweep. */
  marginToleranceDeg: number;
  minSweeps: number;
  /** Largest share of a line's drift that one step (over the step window) may make. */
  maxJumpShare: number;
  /**
   * The chain's mean return sweep and mean line drift must reach this: single lines may be weak
   * (a short last line, a regression), but a whole read text is wider than the jitter of eyes
   * resting on a face (±3°).
   */
  minMeanAmplitudeDeg: number;
  minDurationMs: number;
  /** Frames further apart than this split the series: no rhythm across a gap. */
  maxGapMs: number;
}

export const DEFAULT_READING_OPTIONS: Readonly<ReadingOptions> = {
  // 250 ms: two frames at 10/s, four at 15/s; shorter than a reading fixation pair, longer than
  // one noisy frame.
  stepWindowMs: 250,
  // A measured return sweep of a 10° line is about 5° (MediaPipe under-reads the iris by ~40 %),
  // and a slow reader's short last line can sweep back less than 3°: a step of 2° counts.
  minStepDeg: 2,
  stepNoiseFactor: 3,
  minLineMs: 700,
  // A slow reader's long line; beyond this a "line" is a stare.
  maxLineMs: 6500,
  minDriftDeg: 2,
  minDriftCorrelation: 0.4,
  maxHeadRangeDeg: 4,
  minSweepToDrift: 0.35,
  bigFallFactor: 2,
  marginToleranceDeg: 3,
  minSweeps: 3,
  maxJumpShare: 0.7,
  minMeanAmplitudeDeg: 4,
  // The product rule: reading flagged when the rhythm lasts at least 6 s.
  minDurationMs: 6000,
  maxGapMs: 700,
};

/** One line of a reading chain. */
export interface ReadingLine {
  startMs: number;
  endMs: number;
  /** Opened by a return sweep (a rise in the chain's orientation). */
  sweepOpened: boolean;
  /** Size of the opening step, degrees (0 when the line opened at the start of the data). */
  openingStepDeg: number;
  driftDeg: number;
  /** Whether a fast step closed the line (false: it is still going, or it was cut at its drift's end). */
  closed: boolean;
}

export interface ReadingEpisode {
  startMs: number;
  endMs: number;
  lines: number;
  sweeps: number;
  meanSweepDeg: number;
  /** +1: gaze rises on each sweep (falls along lines) in image coordinates; -1: the mirror. */
  orientation: 1 | -1;
  /** Frames in the episode per second. */
  analysedFps: number;
  /** The last line has no closing step yet: the episode may go on. */
  open: boolean;
}

interface Sample {
  t: number;
  x: number;
  yaw: number | null;
  pitch: number | null;
}

interface Step {
  index: number;
  t: number;
  size: number;
}

function medianOf(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Splits frames with gaze into runs without gaps longer than maxGapMs. */
export function segments(frames: readonly ReadingFrame[], maxGapMs: number): Sample[][] {
  const out: Sample[][] = [];
  let current: Sample[] = [];
  let lastT = -Infinity;
  for (const frame of frames) {
    const { timeMs, gazeHDeg } = frame;
    if (!Number.isFinite(timeMs) || timeMs <= lastT) continue;
    if (gazeHDeg === null || !Number.isFinite(gazeHDeg)) continue;
    if (timeMs - lastT > maxGapMs && current.length > 0) {
      out.push(current);
      current = [];
    }
    const finite = (v: number | null): number | null =>
      v !== null && Number.isFinite(v) ? v : null;
    current.push({
      t: timeMs,
      x: gazeHDeg,
      yaw: finite(frame.yawDeg),
      pitch: finite(frame.pitchDeg),
    });
    lastT = timeMs;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Robust frame-to-frame noise (σ of one frame), from the median absolute first difference. */
function noiseDeg(samples: readonly Sample[]): number {
  if (samples.length < 3) return 0;
  const diffs: number[] = [];
  for (let i = 1; i < samples.length; i += 1) {
    diffs.push(Math.abs((samples[i] as Sample).x - (samples[i - 1] as Sample).x));
  }
  return medianOf(diffs) / (0.6745 * Math.SQRT2);
}

/** Step response at each frame boundary (median after minus median before), null near edges. */
function stepResponses(xs: readonly Sample[], windowMs: number): (number | null)[] {
  const n = xs.length;
  const out: (number | null)[] = new Array<number | null>(n).fill(null);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i += 1) {
    const t = (xs[i] as Sample).t;
    while (lo < i && (xs[lo] as Sample).t < t - windowMs) lo += 1;
    if (hi < i) hi = i;
    while (hi + 1 < n && (xs[hi + 1] as Sample).t < t + windowMs) hi += 1;
    const before: number[] = [];
    for (let j = lo; j < i; j += 1) before.push((xs[j] as Sample).x);
    // A dropped frame (busy device) may leave one frame in the window: take the next one out,
    // up to half a window further, rather than miss a sweep.
    const earlier = xs[lo - 1];
    if (before.length === 1 && earlier !== undefined && earlier.t >= t - 1.5 * windowMs) {
      before.push(earlier.x);
    }
    const after: number[] = [];
    for (let j = i; j <= hi; j += 1) after.push((xs[j] as Sample).x);
    const later = xs[hi + 1];
    if (after.length === 1 && later !== undefined && later.t < t + 1.5 * windowMs) {
      after.push(later.x);
    }
    if (before.length >= 2 && after.length >= 2) out[i] = medianOf(after) - medianOf(before);
  }
  return out;
}

export function findSteps(
  xs: readonly Sample[],
  options: ReadingOptions,
  windowMs: number,
): { steps: Step[]; threshold: number } {
  const responses = stepResponses(xs, windowMs);
  const threshold = Math.max(options.minStepDeg, options.stepNoiseFactor * noiseDeg(xs));
  const candidates: Step[] = [];
  for (const [index, r] of responses.entries()) {
    if (r !== null && Math.abs(r) >= threshold) {
      candidates.push({ index, t: (xs[index] as Sample).t, size: r });
    }
  }
  // Non-maximum suppression: of steps closer than the window, keep the largest of each sign run.
  candidates.sort((a, b) => Math.abs(b.size) - Math.abs(a.size));
  const kept: Step[] = [];
  for (const c of candidates) {
    if (kept.every((k) => Math.abs(k.t - c.t) >= windowMs)) kept.push(c);
  }
  return { steps: kept.sort((a, b) => a.t - b.t), threshold };
}

interface LineFit {
  driftDeg: number;
  correlation: number;
  startLevel: number;
  endLevel: number;
  headRange: number;
}

/** Linear fit of x over samples [from, to), in the orientation's sign. */
function fitLine(xs: readonly Sample[], from: number, to: number, sign: number): LineFit | null {
  const n = to - from;
  if (n < 4) return null;
  let st = 0;
  let sx = 0;
  for (let i = from; i < to; i += 1) {
    st += (xs[i] as Sample).t;
    sx += sign * (xs[i] as Sample).x;
  }
  const mt = st / n;
  const mx = sx / n;
  let stt = 0;
  let sxx = 0;
  let stx = 0;
  const yaws: number[] = [];
  const pitches: number[] = [];
  for (let i = from; i < to; i += 1) {
    const s = xs[i] as Sample;
    const dt = s.t - mt;
    const dx = sign * s.x - mx;
    stt += dt * dt;
    sxx += dx * dx;
    stx += dt * dx;
    if (s.yaw !== null) yaws.push(s.yaw);
    if (s.pitch !== null) pitches.push(s.pitch);
  }
  if (stt <= 0) return null;
  const slope = stx / stt;
  const first = (xs[from] as Sample).t;
  const last = (xs[to - 1] as Sample).t;
  const correlation = sxx > 0 ? stx / Math.sqrt(stt * sxx) : 0;
  const range = (values: number[]): number => {
    if (values.length < 2) return 0;
    // Middle 80 %: one glitched head pose must not veto a line.
    const sorted = values.slice().sort((a, b) => a - b);
    const lo = sorted[Math.floor(0.1 * (sorted.length - 1))] as number;
    const hi = sorted[Math.ceil(0.9 * (sorted.length - 1))] as number;
    return hi - lo;
  };
  return {
    driftDeg: -slope * (last - first),
    correlation,
    startLevel: mx + slope * (first - mt),
    endLevel: mx + slope * (last - mt),
    headRange: Math.max(range(yaws), range(pitches)),
  };
}

function indexAtOrAfter(xs: readonly Sample[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as Sample).t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface Candidate extends ReadingLine {
  startLevel: number;
  /** The line's drift runs up to the next boundary (a sweep may continue the chain). */
  reachesNext: boolean;
}

/** Running median of x over ±halfWindowMs, in the orientation's sign. */
function smoothed(
  xs: readonly Sample[],
  from: number,
  to: number,
  halfWindowMs: number,
  sign: number,
): number[] {
  const out: number[] = [];
  let lo = from;
  let hi = from;
  for (let i = from; i < to; i += 1) {
    const t = (xs[i] as Sample).t;
    while ((xs[lo] as Sample).t < t - halfWindowMs) lo += 1;
    while (hi + 1 < to && (xs[hi + 1] as Sample).t <= t + halfWindowMs) hi += 1;
    const window: number[] = [];
    for (let j = lo; j <= hi; j += 1) window.push(sign * (xs[j] as Sample).x);
    out.push(medianOf(window));
  }
  return out;
}

/**
 * The line opened by the boundary at `startIdx` and running at most until `endIdx` (the next
 * boundary, exclusive, or the end of the data): the drift up to its lowest point, or null when
 * that is not a line (too short or long, too little or unsteady drift, head moving).
 */
export function lineBetween(
  xs: readonly Sample[],
  startIdx: number,
  endIdx: number,
  opening: number,
  sign: number,
  options: ReadingOptions,
  windowMs: number,
  steadyOnly = false,
): Candidate | null {
  const closingIsRise = endIdx < xs.length && sign * stepAt(xs, endIdx, windowMs) > 0;
  const start = xs[startIdx] as Sample;
  // Skip the saccade's own frames: the medians there straddle the jump.
  const from = indexAtOrAfter(xs, start.t + windowMs / 2);
  const limit = Math.min(endIdx, indexAtOrAfter(xs, start.t + options.maxLineMs));
  if (limit - from < 4) return null;
  const levels = smoothed(xs, from, limit, windowMs / 2, sign);
  let lowestLevel = Infinity;
  for (const level of levels) lowestLevel = Math.min(lowestLevel, level);
  // The line ends where the drift first (nearly) reaches its lowest level: later dips of a
  // stare are noise, not reading. A line that runs into a rise (a possible sweep) ends where it
  // last is near its lowest point: a regression (the eyes step back a word and read on) after
  // the first dip to the bottom must not end the line a second before its return sweep.
  const nearly = lowestLevel + Math.max(0.5, 0.1 * ((levels[0] as number) - lowestLevel));
  let lowest = closingIsRise
    ? levels.findLastIndex((level) => level <= nearly)
    : levels.findIndex((level) => level <= nearly);
  if (lowest < 0) lowest = levels.length - 1;
  const lastIdx = from + lowest;
  // Not opened by a rise (the start of the data, a glance down onto the text): the line began
  // where the gaze was last at the top of its range before drifting, not at a stare before it.
  let anchor = 0;
  if (opening <= 0) {
    let top = -Infinity;
    for (let i = 0; i <= lowest; i += 1) top = Math.max(top, levels[i] as number);
    const near = top - Math.max(0.5, 0.1 * (top - lowestLevel));
    for (let i = 0; i <= lowest; i += 1) if ((levels[i] as number) >= near) anchor = i;
  }
  const fit = fitLine(xs, from + anchor, lastIdx + 1, sign);
  if (fit === null) return null;
  const startMs = anchor === 0 ? start.t : (xs[from + anchor] as Sample).t;
  const endMs = (xs[lastIdx] as Sample).t;
  const length = endMs - startMs;
  if (length < options.minLineMs) return null;
  if (fit.driftDeg < options.minDriftDeg) return null;
  if (fit.correlation > -options.minDriftCorrelation) return null;
  if (fit.headRange > options.maxHeadRangeDeg) return null;
  // Gradual: reading gains ground a word at a time, so no single jump makes most of the drift
  // (a glance from one spot to another is one jump). Ground is the running lowest level, so
  // coming back from a regression is not a jump.
  // Over windowMs of time, not a count of frames: a busy device drops frames unevenly, and a
  // count would stretch over a longer time where frames are missing.
  const runningLowest: number[] = [];
  let lowestSoFar = Infinity;
  for (let i = anchor; i <= lowest; i += 1) {
    lowestSoFar = Math.min(lowestSoFar, levels[i] as number);
    runningLowest.push(lowestSoFar);
  }
  let largestJump = 0;
  let back = 0;
  for (let i = 1; i < runningLowest.length; i += 1) {
    const t = (xs[from + anchor + i] as Sample).t;
    while (back < i && (xs[from + anchor + back] as Sample).t < t - windowMs) back += 1;
    if (back === i) continue;
    largestJump = Math.max(
      largestJump,
      (runningLowest[back] as number) - (runningLowest[i] as number),
    );
  }
  if (largestJump > options.maxJumpShare * fit.driftDeg) return null;
  // A lead-in line must drift all along: a stare then a drop (at rest, then onto the text) is
  // not one. Lines between sweeps are not held to this: measured lines often drop early.
  const third = Math.max(1, Math.floor((lowest + 1) / 3));
  const part = (a: number, b: number): number => medianOf(levels.slice(a, b));
  const m1 = part(0, third);
  const m2 = part(third, lowest + 1 - third);
  const m3 = part(lowest + 1 - third, lowest + 1);
  const minPart = 0.15 * fit.driftDeg;
  if ((steadyOnly || opening <= 0) && lowest + 1 >= 6 && (m1 - m2 < minPart || m2 - m3 < minPart))
    return null;
  const boundaryMs = endIdx < xs.length ? (xs[endIdx] as Sample).t : null;
  return {
    startMs,
    endMs,
    sweepOpened: opening > 0,
    openingStepDeg: Math.abs(opening),
    driftDeg: fit.driftDeg,
    // Closed by a step, by the length limit, or by a drift that stopped a while ago (a stare).
    closed:
      boundaryMs !== null ||
      limit < endIdx ||
      (xs[xs.length - 1] as Sample).t - endMs > options.maxGapMs * 2,
    startLevel: fit.startLevel,
    reachesNext: boundaryMs !== null && endMs >= boundaryMs - 3 * windowMs,
  };
}

/** Step response at one frame (median after minus median before), 0 near the edges. */
function stepAt(xs: readonly Sample[], index: number, windowMs: number): number {
  const t = (xs[index] as Sample).t;
  const before: number[] = [];
  const after: number[] = [];
  for (let j = index - 1; j >= 0 && (xs[j] as Sample).t >= t - windowMs; j -= 1) {
    before.push((xs[j] as Sample).x);
  }
  for (let j = index; j < xs.length && (xs[j] as Sample).t < t + windowMs; j += 1) {
    after.push((xs[j] as Sample).x);
  }
  return before.length > 0 && after.length > 0 ? medianOf(after) - medianOf(before) : 0;
}

/** Median interval between frames, ms. */
function frameIntervalMs(xs: readonly Sample[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < xs.length; i += 1) gaps.push((xs[i] as Sample).t - (xs[i - 1] as Sample).t);
  if (gaps.length === 0) return 0;
  // The mean, not the median: with irregular frames (a busy device drops some) the window must
  // hold two frames on each side on average, not only where the frames come evenly.
  return gaps.reduce((a, b) => a + b, 0) / gaps.length;
}

function chainsIn(xs: readonly Sample[], sign: 1 | -1, options: ReadingOptions): ReadingEpisode[] {
  // At low frame rates the window must still hold two frames on each side.
  const windowMs = Math.max(options.stepWindowMs, 2.2 * frameIntervalMs(xs));
  const { steps, threshold } = findSteps(xs, options, windowMs);
  // Lines are opened by rises (return sweeps, or the glance onto the text) and closed by the
  // next rise or by a large fall (the glance away from the text). Small falls are the drift's
  // own fixation steps.
  const bigFall = options.bigFallFactor * threshold;
  const bounds: { index: number; size: number }[] = [{ index: 0, size: 0 }];
  for (const step of steps) {
    const size = sign * step.size;
    if (size > 0 || size <= -bigFall) bounds.push({ index: step.index, size });
  }
  const episodes: ReadingEpisode[] = [];
  let chain: Candidate[] = [];
  const all: Candidate[][] = [];
  const lineTo = (k: number, next: number): Candidate | null => {
    const bound = bounds[k];
    if (bound === undefined) return null;
    const endIdx = bounds[next]?.index ?? xs.length;
    return lineBetween(xs, bound.index, endIdx, bound.size, sign, options, windowMs);
  };
  let k = 0;
  while (k < bounds.length) {
    let line = lineTo(k, k + 1);
    let nextK = k + 1;
    // A regression (the eyes step back a word or two) is a small rise inside a line. When the
    // line does not hold up to that rise, or the rise is too small to be its return sweep, try
    // it as one line across the rise.
    const following = bounds[k + 1];
    const tooSmallToSweep =
      line !== null &&
      following !== undefined &&
      following.size < options.minSweepToDrift * line.driftDeg;
    if (
      following !== undefined &&
      following.size > 0 &&
      following.size < bigFall &&
      (line === null || !line.reachesNext || tooSmallToSweep)
    ) {
      const across = lineTo(k, k + 2);
      if (
        across !== null &&
        (line === null || tooSmallToSweep || across.driftDeg > line.driftDeg)
      ) {
        line = across;
        nextK = k + 2;
      }
    }
    const previous = chain.at(-1);
    const margin = chain.find((l) => l.sweepOpened)?.startLevel;
    const continues =
      line !== null &&
      previous !== undefined &&
      line.sweepOpened &&
      previous.reachesNext &&
      line.openingStepDeg >= options.minSweepToDrift * previous.driftDeg &&
      (margin === undefined ||
        Math.abs(line.startLevel - margin) <=
          options.marginToleranceDeg + 0.5 * line.openingStepDeg);
    if (!continues) {
      if (chain.length > 0) all.push(chain);
      chain = [];
    }
    if (line !== null) chain.push(line);
    k = nextK;
  }
  if (chain.length > 0) all.push(chain);
  for (const lines of all) {
    const leadIn = leadInLine(xs, lines, sign, options, windowMs);
    if (leadIn !== null) lines.unshift(leadIn);
    const episode = toEpisode(xs, lines, sign, options);
    if (episode !== null) episodes.push(episode);
  }
  return episodes;
}

/**
 * The line read before a chain's first return sweep when the glance onto the text was not itself
 * a rise (text to the other side of the rest direction, or no clear glance): the earliest step
 * (either sign) or data start from which a steady drift runs into that sweep.
 */
function leadInLine(
  xs: readonly Sample[],
  lines: readonly Candidate[],
  sign: number,
  options: ReadingOptions,
  windowMs: number,
): Candidate | null {
  const first = lines[0];
  if (first === undefined || !first.sweepOpened) return null;
  // Only worth its cost for a chain that already has its sweeps.
  if (lines.filter((l) => l.sweepOpened).length < options.minSweeps) return null;
  const sweepIdx = indexAtOrAfter(xs, first.startMs);
  // The line began where the gaze was last at the top of its range before drifting into the
  // sweep: the end of the rest when the glance onto the text went down, the glance's landing
  // when it went up a little.
  const from = indexAtOrAfter(xs, first.startMs - options.maxLineMs);
  const to = indexAtOrAfter(xs, first.startMs - options.minLineMs);
  if (to - from < 2) return null;
  const levels = smoothed(xs, from, to, windowMs / 2, sign);
  const top = Math.max(...levels);
  let startIdx = from;
  for (const [i, level] of levels.entries()) if (level >= top - 0.5) startIdx = from + i;
  const line = lineBetween(xs, startIdx, sweepIdx, 0, sign, options, windowMs, true);
  if (
    line?.reachesNext === true &&
    first.openingStepDeg >= options.minSweepToDrift * line.driftDeg
  ) {
    return { ...line, sweepOpened: false };
  }
  return null;
}

function toEpisode(
  xs: readonly Sample[],
  lines: readonly Candidate[],
  sign: 1 | -1,
  options: ReadingOptions,
): ReadingEpisode | null {
  const first = lines[0];
  const last = lines.at(-1);
  if (first === undefined || last === undefined) return null;
  if (lines.filter((l) => l.sweepOpened).length < options.minSweeps) return null;
  const duration = last.endMs - first.startMs;
  if (duration < options.minDurationMs) return null;
  const mean = (values: number[]): number =>
    values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const openings = lines.filter((l) => l.sweepOpened).map((l) => l.openingStepDeg);
  if (mean(openings) < options.minMeanAmplitudeDeg) return null;
  if (mean(lines.map((l) => l.driftDeg)) < options.minMeanAmplitudeDeg) return null;
  const frames = indexAtOrAfter(xs, last.endMs) - indexAtOrAfter(xs, first.startMs) + 1;
  // The first line's opening glance is not a return sweep; the later openings are.
  const returns = lines.slice(1).map((l) => l.openingStepDeg);
  return {
    startMs: first.startMs,
    endMs: last.endMs,
    lines: lines.length,
    sweeps: returns.length,
    meanSweepDeg: returns.reduce((a, b) => a + b, 0) / Math.max(1, returns.length),
    orientation: sign,
    analysedFps: duration > 0 ? (frames * 1000) / duration : 0,
    open: !last.closed,
  };
}

/** All reading episodes in a series of frames (batch rule; see the file comment). */
export function analyseReading(
  frames: readonly ReadingFrame[],
  options: Partial<ReadingOptions> = {},
): ReadingEpisode[] {
  const o: ReadingOptions = { ...DEFAULT_READING_OPTIONS, ...options };
  const episodes: ReadingEpisode[] = [];
  for (const xs of segments(frames, o.maxGapMs)) {
    const both = [...chainsIn(xs, 1, o), ...chainsIn(xs, -1, o)].sort(
      (a, b) => a.startMs - b.startMs,
    );
    // The two orientations cannot both be reading at once; keep the longer of overlapping ones.
    for (const episode of both) {
      const overlapping = episodes.findIndex(
        (e) => e.startMs < episode.endMs && episode.startMs < e.endMs,
      );
      if (overlapping === -1) episodes.push(episode);
      else {
        const other = episodes[overlapping] as ReadingEpisode;
        if (episode.endMs - episode.startMs > other.endMs - other.startMs)
          episodes[overlapping] = episode;
      }
    }
  }
  return episodes.sort((a, b) => a.startMs - b.startMs);
}

/** A start or end report for a `reading` integrity event (the caller adds stream and seq). */
export interface ReadingEmission {
  eventId: string;
  kind: 'reading';
  phase: 'start' | 'end';
  startMs: number;
  endMs: number | null;
  durationMs: number | null;
  details: Record<string, number | string | boolean>;
}

export interface ReadingDetector {
  /** Feeds one analysed frame (time order); returns the starts and ends it confirmed. */
  step(frame: ReadingFrame): ReadingEmission[];
  /** Ends an open reading at its last evidence, or at `atMs` if earlier (stop, recalibration). */
  flush(atMs: number): ReadingEmission[];
  isOpen(): boolean;
}

export interface ReadingDetectorOptions {
  rule?: Partial<ReadingOptions>;
  /** Frames kept for the rule: longer than any episode's lines need, bounded for memory. */
  bufferMs?: number;
  /** Run the batch rule at most this often (ms of frame time): its cost is linear in the buffer. */
  analyseEveryMs?: number;
  /** An open episode ends once the rule has not extended it for this long. */
  settleMs?: number;
}

export const DEFAULT_READING_BUFFER_MS = 30_000;
/**
 * Longer than a slow reader needs to show a new line's drift (about 2-3 s): an episode is not
 * ended while its next line may still be forming.
 */
export const DEFAULT_READING_SETTLE_MS = 3000;

/**
 * The batch rule over a rolling buffer. `start` goes out as soon as a chain qualifies (its
 * startMs is the first line's start, in the past); `end` once the chain has stopped growing for
 * `settleMs` (its endMs is the last line's end). An episode is one event even when the rule's
 * view of it shifts by a line as frames arrive: a later chain overlapping it extends it.
 */
export function createReadingDetector(
  newEventId: () => string,
  options: ReadingDetectorOptions = {},
): ReadingDetector {
  const rule: ReadingOptions = { ...DEFAULT_READING_OPTIONS, ...options.rule };
  const bufferMs = options.bufferMs ?? DEFAULT_READING_BUFFER_MS;
  const analyseEveryMs = options.analyseEveryMs ?? 500;
  const settleMs = options.settleMs ?? DEFAULT_READING_SETTLE_MS;
  let frames: ReadingFrame[] = [];
  let lastAnalysisMs = -Infinity;
  let lastFrameMs = -Infinity;
  /** Reported but not ended episodes (at most one at a time in practice). */
  let open: {
    eventId: string;
    startMs: number;
    endMs: number;
    lastGrowthMs: number;
    episode: ReadingEpisode;
  } | null = null;
  /** End of the last reported episode: chains up to here are already accounted for. */
  let reportedUntilMs = -Infinity;

  function details(episode: ReadingEpisode): Record<string, number | string | boolean> {
    return {
      lines: episode.lines,
      sweeps: episode.sweeps,
      meanSweepDeg: Math.round(episode.meanSweepDeg * 10) / 10,
      analysedFps: Math.round(episode.analysedFps * 10) / 10,
      direction: episode.orientation === 1 ? 'sweeps_right' : 'sweeps_left',
    };
  }

  function endOpen(atMs: number): ReadingEmission[] {
    if (open === null) return [];
    const endMs = Math.max(open.startMs, Math.min(open.endMs, atMs));
    const emission: ReadingEmission = {
      eventId: open.eventId,
      kind: 'reading',
      phase: 'end',
      startMs: open.startMs,
      endMs,
      durationMs: endMs - open.startMs,
      details: details(open.episode),
    };
    reportedUntilMs = endMs;
    open = null;
    return [emission];
  }

  return {
    step(frame) {
      if (!Number.isFinite(frame.timeMs) || frame.timeMs <= lastFrameMs) return [];
      const out: ReadingEmission[] = [];
      // A long gap ends any reading: no rhythm is known across it.
      if (open !== null && frame.timeMs - lastFrameMs > rule.maxGapMs) {
        out.push(...endOpen(lastFrameMs));
      }
      lastFrameMs = frame.timeMs;
      frames.push(frame);
      const keepFrom = frame.timeMs - bufferMs;
      if ((frames[0]?.timeMs ?? Infinity) < keepFrom)
        frames = frames.filter((f) => f.timeMs >= keepFrom);
      if (frame.timeMs - lastAnalysisMs < analyseEveryMs) return out;
      lastAnalysisMs = frame.timeMs;
      const episodes = analyseReading(frames, rule);
      if (open !== null) {
        const current = open;
        const same = episodes.filter(
          (e) => e.startMs < current.endMs + settleMs && e.endMs > current.startMs,
        );
        const latest = same.at(-1);
        if (latest !== undefined && latest.endMs > current.endMs) {
          current.endMs = latest.endMs;
          current.episode = latest.lines >= current.episode.lines ? latest : current.episode;
          current.lastGrowthMs = frame.timeMs;
        }
        const stillGoing = latest?.open === true;
        if (!stillGoing && frame.timeMs - current.lastGrowthMs >= settleMs)
          out.push(...endOpen(frame.timeMs));
      }
      if (open === null) {
        const fresh = episodes.find((e) => e.startMs >= reportedUntilMs);
        if (fresh !== undefined) {
          open = {
            eventId: newEventId(),
            startMs: fresh.startMs,
            endMs: fresh.endMs,
            lastGrowthMs: frame.timeMs,
            episode: fresh,
          };
          out.push({
            eventId: open.eventId,
            kind: 'reading',
            phase: 'start',
            startMs: fresh.startMs,
            endMs: null,
            durationMs: null,
            details: details(fresh),
          });
        }
      }
      return out;
    },
    flush(atMs) {
      const out = endOpen(atMs);
      frames = [];
      lastAnalysisMs = -Infinity;
      return out;
    },
    isOpen: () => open !== null,
  };
}
