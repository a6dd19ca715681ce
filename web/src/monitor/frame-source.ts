import type { FrameImage } from './worker-protocol';

/**
 * Where camera frames come from. The pump takes any FrameSource; the camera gives two:
 *
 * - `track-processor` (Chromium's MediaStreamTrackProcessor): reads VideoFrames straight from the
 *   camera track. It needs no timer and no rendering, so it keeps delivering while the tab is
 *   hidden, where timers are throttled to 1/s (later 1/min) and video frame callbacks stop.
 * - `video-element`: `requestVideoFrameCallback` on the playing <video> when available, plus a
 *   timer as fallback (browsers without it, or a hidden page where the callbacks stop). The timer
 *   is throttled on hidden pages: what it misses is an analysis gap (coverage), never suspicion.
 */
export interface AvailableFrame {
  /** Candidate clock (epoch ms) when the frame was seen. */
  timestampMs: number;
  /**
   * The frame as an image for the worker, or null if unreadable now. Ownership passes to the
   * caller, who must close (or transfer) it.
   */
  take(): Promise<FrameImage | null>;
  /** Frees the frame unless it was taken; the pump calls it exactly once either way. */
  release(): void;
}

export type FrameSourceKind = 'track-processor' | 'video-element';

export interface FrameSource {
  readonly kind: FrameSourceKind;
  /** Starts delivering frames; returns the cleanup that stops it. */
  start(onFrame: (frame: AvailableFrame) => void): () => void;
}

export interface CameraFrameSourceOptions {
  video: HTMLVideoElement;
  /** The live camera track now (LiveKit replaces it after a camera mute/unmute), or null. */
  getTrack: () => MediaStreamTrack | null;
  /** Timer interval of the video-element fallback. */
  intervalMs: number;
  nowMs: () => number;
  /** Force one kind (benchmarks, tests); default picks the track processor when available. */
  prefer?: FrameSourceKind;
}

/** Chromium's MediaStreamTrackProcessor; not in TypeScript's DOM library yet. */
interface TrackProcessorConstructor {
  new (init: { track: MediaStreamTrack; maxBufferSize?: number }): {
    readable: ReadableStream<VideoFrame>;
  };
}

function trackProcessorConstructor(): TrackProcessorConstructor | null {
  const candidate = (globalThis as { MediaStreamTrackProcessor?: unknown })
    .MediaStreamTrackProcessor;
  return typeof candidate === 'function' ? (candidate as TrackProcessorConstructor) : null;
}

/** Whether the track is delivering real frames (not ended, disabled or muted at the source). */
export function isTrackDelivering(track: MediaStreamTrack | null): boolean {
  return track !== null && track.readyState === 'live' && track.enabled && !track.muted;
}

export function createCameraFrameSource(options: CameraFrameSourceOptions): FrameSource {
  const prefer =
    options.prefer ?? (trackProcessorConstructor() ? 'track-processor' : 'video-element');
  if (prefer === 'track-processor' && trackProcessorConstructor() !== null) {
    return trackProcessorSource(options);
  }
  return videoElementSource(options);
}

const RETRY_TRACK_MS = 500;

function trackProcessorSource(options: CameraFrameSourceOptions): FrameSource {
  const Processor = trackProcessorConstructor() as TrackProcessorConstructor;
  return {
    kind: 'track-processor',
    start(onFrame) {
      let stopped = false;
      let reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
      let wake: (() => void) | null = null;
      const pause = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });

      void (async () => {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by the returned stop function; TypeScript does not see callback assignments
        while (!stopped) {
          const track = options.getTrack();
          if (track === null || track.readyState !== 'live') {
            // No camera right now (LiveKit stops the track while the camera is muted).
            await pause(RETRY_TRACK_MS);
            continue;
          }
          try {
            // maxBufferSize 1: we only ever want the newest frame; older ones are dropped
            // by the processor instead of piling up while the page is busy.
            reader = new Processor({ track, maxBufferSize: 1 }).readable.getReader();
            for (;;) {
              const { done, value } = await reader.read();
              // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop may run during the await
              if (done || stopped) {
                value?.close();
                break;
              }
              const frame = value;
              // Handed on as is (zero copy); closed here only if the pump does not take it.
              let owned = true;
              onFrame({
                timestampMs: options.nowMs(),
                take: () => {
                  owned = false;
                  return Promise.resolve(frame);
                },
                release: () => {
                  if (!owned) return;
                  owned = false;
                  frame.close();
                },
              });
            }
          } catch {
            // The track ended or was replaced under the reader: look for the current one.
          }
          reader = null;
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- stop may run during the read loop
          if (!stopped) await pause(RETRY_TRACK_MS);
        }
      })();

      return () => {
        stopped = true;
        void reader?.cancel().catch(() => undefined);
        wake?.();
      };
    },
  };
}

/**
 * The element's current frame: a VideoFrame wrapping it (no copy) where WebCodecs exists, else
 * an ImageBitmap (see FrameImage for why bitmaps are the fallback only).
 */
async function grabVideoFrame(video: HTMLVideoElement): Promise<FrameImage | null> {
  if (typeof VideoFrame !== 'undefined') {
    try {
      return new VideoFrame(video);
    } catch {
      // No decodable frame yet (element just (re)attached): fall through to the bitmap.
    }
  }
  try {
    return await createImageBitmap(video);
  } catch {
    return null;
  }
}

/** Frames older than this many intervals without a video frame callback: use the timer. */
const CALLBACK_STALE_INTERVALS = 3;

function videoElementSource(options: CameraFrameSourceOptions): FrameSource {
  const { video, intervalMs, nowMs } = options;
  const hasCallback = typeof video.requestVideoFrameCallback === 'function';
  return {
    kind: 'video-element',
    start(onFrame) {
      let stopped = false;
      let callbackHandle: number | null = null;
      let lastCallbackMs = Number.NEGATIVE_INFINITY;

      const offer = (): void => {
        // A stopped or muted camera leaves its last frame on the element: never analyse that.
        if (!isTrackDelivering(options.getTrack())) return;
        if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return;
        onFrame({
          timestampMs: nowMs(),
          take: () => grabVideoFrame(video),
          release: () => undefined,
        });
      };

      const onVideoFrame = (): void => {
        if (stopped) return;
        lastCallbackMs = nowMs();
        offer();
        callbackHandle = video.requestVideoFrameCallback(onVideoFrame);
      };
      if (hasCallback) callbackHandle = video.requestVideoFrameCallback(onVideoFrame);

      const timer = setInterval(
        () => {
          if (stopped) return;
          if (hasCallback && nowMs() - lastCallbackMs < CALLBACK_STALE_INTERVALS * intervalMs)
            return;
          offer();
        },
        Math.max(10, intervalMs),
      );

      return () => {
        stopped = true;
        clearInterval(timer);
        if (callbackHandle !== null) video.cancelVideoFrameCallback(callbackHandle);
      };
    },
  };
}
