/**
 * Clip time from the candidate's clock.
 *
 * Chromium's fake camera plays the Y4M file from its first frame each time the page opens the
 * camera, one file frame per delivered frame, and loops at the end. So clip time is a frame count,
 * not wall time: frame k of the opened stream shows the clip at k / fps seconds. The camera probe
 * (camera-probe.ts) records, for every frame of the stream the product analyses, when the page
 * received it (candidate epoch ms, the clock the product stamps its events with) and the frame's
 * own capture timestamp. The probe's reader can miss frames on a busy machine, so the file frame
 * index comes from the capture timestamps: (timestamp - first timestamp) / frame period, rounded
 * down after adding LATE_SLACK, and at least one more than the previous frame. Counting from the
 * first timestamp (not frame to frame) matters: the fake camera catches up after a late frame (a
 * long gap then a short one), which frame-to-frame rounding would count as a skipped frame; and
 * frames are late, never early, hence rounding down with slack rather than to the nearest. Checked against the pictures
 * (content-check.ts: thumbnail luma against the Y4M's frames): within 2 frames (0.13 s) over
 * 34 s on dev_leaves_twice and dev_cover_short_long, where the no_face edges also land on the
 * labels (6.1 s and 18.5 s).
 */
export interface ProbedFrame {
  /** Candidate epoch ms when the page received the frame. */
  epochMs: number;
  /** The VideoFrame's capture timestamp (µs, monotonic; only differences matter). */
  timestampUs: number;
}

export interface ClipClock {
  fps: number;
  /** Receive time of each probed frame, non-decreasing. */
  epochMs: readonly number[];
  /** File frame index of each probed frame (0 for the first frame of the stream). */
  frameIndex: readonly number[];
  /** Frames the probe did not see but the camera delivered (from timestamp gaps). */
  missedFrames: number;
}

/** A frame up to 0.7 of a period late still counts as its own frame, not the next one. */
const LATE_SLACK = 0.3;

export class ClipClockError extends Error {
  override readonly name = 'ClipClockError';
}

/** Builds the frame-count clock from the probed frames of one camera stream. */
export function buildClipClock(frames: readonly ProbedFrame[], fps: number): ClipClock {
  if (!(fps > 0 && fps <= 240)) throw new ClipClockError(`fps out of range: ${fps}`);
  if (frames.length === 0) throw new ClipClockError('the camera delivered no frames');
  const periodUs = 1e6 / fps;
  const epochMs: number[] = [];
  const frameIndex: number[] = [];
  const firstUs = (frames[0] as ProbedFrame).timestampUs;
  let index = 0;
  let missed = 0;
  frames.forEach((frame, i) => {
    if (!Number.isFinite(frame.epochMs) || !Number.isFinite(frame.timestampUs))
      throw new ClipClockError(`frame ${i} has a non-finite time`);
    if (i > 0) {
      // At least one frame further on, whatever the timestamps say (a repeated or backward
      // timestamp would otherwise freeze the clock).
      const next = Math.max(
        index + 1,
        Math.floor((frame.timestampUs - firstUs) / periodUs + LATE_SLACK),
      );
      missed += next - index - 1;
      index = next;
    }
    const lastEpoch = epochMs[epochMs.length - 1];
    epochMs.push(lastEpoch === undefined ? frame.epochMs : Math.max(lastEpoch, frame.epochMs));
    frameIndex.push(index);
  });
  return { fps, epochMs, frameIndex, missedFrames: missed };
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
