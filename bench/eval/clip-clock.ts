/**
 * Clip time from the candidate's clock.
 *
 * Chromium's fake camera plays the Y4M file from its first frame each time the page opens the
 * camera, one file frame per delivered frame, and loops at the end. So clip time is a frame count,
 * not wall time: frame k of the opened stream shows the clip at k / fps seconds. The camera probe
 * (camera-probe.ts) records, for every frame of the stream the product analyses, when the page
 * received it (candidate epoch ms, the clock the product stamps its events with) and the frame's
 * own capture timestamp and the track's frame counter (`MediaStreamTrack.stats.totalFrames`).
 *
 * Which file frame a probed frame shows comes from that counter (frameIndexFromCounter): under
 * load the probe's reader misses frames AND the fake camera stalls (a late frame with a late
 * timestamp, the file not skipped: Chromium's file capturer reads the next frame and does not
 * catch up), so neither counting read frames nor dividing capture time by the frame period is
 * right. Measured on a loaded run of dev_leaves_twice against the pictures (content-check.ts):
 * timestamps were 24 frames (1.6 s) ahead by the end, read-frame counts 30 behind; the counter
 * agreed to the frame over the whole clip, as it did on dev_head_turns, and to 1 frame on
 * dev_cover_short_long. Capture timestamps remain the fallback for a browser without the counter.
 */
export interface ProbedFrame {
  /** Candidate epoch ms when the page received the frame. */
  epochMs: number;
  /** The VideoFrame's capture timestamp (µs, monotonic; only differences matter). */
  timestampUs: number;
  /**
   * The track's `stats.totalFrames` when the frame was read: frames the camera had handed the
   * track so far, this one and any that arrived while it waited in the reader's queue included.
   */
  trackTotalFrames?: number;
}

export interface ClipClock {
  fps: number;
  /** Receive time of each probed frame, non-decreasing. */
  epochMs: readonly number[];
  /** File frame index of each probed frame (0 for the first frame of the stream). */
  frameIndex: readonly number[];
  /** Frames the probe did not see but the camera delivered. */
  missedFrames: number;
  /** Where the frame indices come from: the track's frame counter, else capture timestamps. */
  source: 'track-counter' | 'timestamps';
}

/** A frame up to 0.7 of a period late still counts as its own frame, not the next one. */
const LATE_SLACK = 0.3;

export class ClipClockError extends Error {
  override readonly name = 'ClipClockError';
}

/** How far ahead to look for a frame read straight off the camera (see frameIndexFromCounter). */
const COUNTER_LOOKAHEAD = 90;

/**
 * File frame index of each probed frame from the track's frame counter. A frame read at once
 * (the newest when read) is frame totalFrames - 1; one read from a backlog is older by the frames
 * read after it from that backlog. So frame k is at most total_j - 1 - (j - k) for every later
 * frame j (equal when nothing between k and j was missed, and for the newest frame itself): the
 * smallest of these bounds is its index. A stalled camera (a late frame, the file not skipped)
 * and frames this reader dropped both come out right, unlike counting from the timestamps.
 */
function frameIndexFromCounter(totals: readonly number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k < totals.length; k++) {
    let best = Number.POSITIVE_INFINITY;
    for (let j = k; j < Math.min(totals.length, k + COUNTER_LOOKAHEAD); j++)
      best = Math.min(best, (totals[j] as number) - 1 - (j - k));
    const previous = out[k - 1];
    out.push(previous === undefined ? Math.max(0, best) : Math.max(previous + 1, best));
  }
  return out;
}

/** File frame index from capture timestamps, for a browser without track frame counters. */
function frameIndexFromTimestamps(frames: readonly ProbedFrame[], fps: number): number[] {
  const periodUs = 1e6 / fps;
  const firstUs = (frames[0] as ProbedFrame).timestampUs;
  const out: number[] = [];
  for (const frame of frames) {
    const previous = out[out.length - 1];
    out.push(
      previous === undefined
        ? 0
        : // At least one frame further on (a repeated timestamp would freeze the clock).
          Math.max(previous + 1, Math.floor((frame.timestampUs - firstUs) / periodUs + LATE_SLACK)),
    );
  }
  return out;
}

/** Builds the frame-count clock from the probed frames of one camera stream. */
export function buildClipClock(frames: readonly ProbedFrame[], fps: number): ClipClock {
  if (!(fps > 0 && fps <= 240)) throw new ClipClockError(`fps out of range: ${fps}`);
  if (frames.length === 0) throw new ClipClockError('the camera delivered no frames');
  frames.forEach((frame, i) => {
    if (!Number.isFinite(frame.epochMs) || !Number.isFinite(frame.timestampUs))
      throw new ClipClockError(`frame ${i} has a non-finite time`);
  });
  const totals = frames.map((f) => f.trackTotalFrames);
  const counted = totals.every((t): t is number => t !== undefined && Number.isFinite(t) && t >= 1);
  const frameIndex = counted
    ? frameIndexFromCounter(totals)
    : frameIndexFromTimestamps(frames, fps);
  const epochMs: number[] = [];
  for (const frame of frames) {
    const lastEpoch = epochMs[epochMs.length - 1];
    epochMs.push(lastEpoch === undefined ? frame.epochMs : Math.max(lastEpoch, frame.epochMs));
  }
  const lastIndex = frameIndex[frameIndex.length - 1] as number;
  return {
    fps,
    epochMs,
    frameIndex,
    missedFrames: lastIndex + 1 - frames.length - (frameIndex[0] as number),
    source: counted ? 'track-counter' : 'timestamps',
  };
}

/**
 * Clip seconds at a candidate epoch instant: the clip time of the last frame received at or
 * before it, plus the time since. Before the first frame the result is negative.
 */
export function toClipSeconds(clock: ClipClock, epochMs: number): number {
  const { epochMs: times, frameIndex } = clock;
  const first = times[0];
  if (first === undefined) throw new ClipClockError('empty clock');
  if (epochMs < first) return (epochMs - first) / 1000;
  // Last k with times[k] <= epochMs.
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((times[mid] as number) <= epochMs) lo = mid;
    else hi = mid - 1;
  }
  return (frameIndex[lo] as number) / clock.fps + (epochMs - (times[lo] as number)) / 1000;
}

/** The candidate epoch instant at which the clip reaches `clipS` (inverse of toClipSeconds). */
export function toEpochMs(clock: ClipClock, clipS: number): number {
  const { epochMs: times, frameIndex, fps } = clock;
  const first = times[0];
  if (first === undefined) throw new ClipClockError('empty clock');
  let k = 0;
  for (let i = 0; i < frameIndex.length; i++) {
    if ((frameIndex[i] as number) / fps <= clipS) k = i;
    else break;
  }
  return (times[k] as number) + (clipS - (frameIndex[k] as number) / fps) * 1000;
}

/**
 * Frames per second the probe read (capture timestamps): the camera's rate when the probe missed
 * nothing, less when it did (see ClipClock.missedFrames).
 */
export function probedFps(frames: readonly ProbedFrame[]): number | null {
  const first = frames[0];
  const last = frames[frames.length - 1];
  if (first === undefined || last === undefined || last.timestampUs <= first.timestampUs)
    return null;
  return (frames.length - 1) / ((last.timestampUs - first.timestampUs) / 1e6);
}
