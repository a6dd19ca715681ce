import {
  createIdentityTracker,
  judgeComparison,
  DEFAULT_IDENTITY_OPTIONS,
  type IdentityEmission,
  type IdentityOptions,
  type IdentityTracker,
} from '../../../../shared/detection/identity-continuity';
import { monitorLog } from '../monitor-log';
import { HUMAN_MODELS_PATH, TFJS_WASM_PATH } from './identity-models';
import {
  parseIdentityFromWorker,
  type IdentityFromWorker,
  type IdentityToWorker,
} from './identity-protocol';

/**
 * The page side of the identity check (opt-in, with the candidate's consent). Every
 * `intervalMs` it hands one camera frame to the identity worker, feeds the scalar answer to the
 * pure tracker (shared/detection/identity-continuity.ts) and reports its events; the latest usable
 * similarity goes into the next MetricSample. Nothing here ever sees a descriptor.
 *
 * Only created when the interview has the check on, so otherwise no identity model is fetched.
 */
export interface IdentityWorkerLike {
  postMessage(message: IdentityToWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export function createIdentityWorker(): IdentityWorkerLike {
  return new Worker(new URL('./identity.worker.ts', import.meta.url), {
    type: 'module',
    name: 'identity-check',
  });
}

export type IdentityPhase = 'loading' | 'enrolling' | 'checking' | 'unavailable';

export interface IdentityMonitorOptions {
  video: HTMLVideoElement | null;
  nowMs: () => number;
  newEventId: () => string;
  emit: (emissions: readonly IdentityEmission[]) => void;
  /** Between comparisons (ms); the brief allows 2-5 s so face analysis keeps its frame rate. */
  intervalMs?: number;
  /** While enrolling, frames come faster so the reference is set during calibration. */
  enrolIntervalMs?: number;
  options?: IdentityOptions;
  createWorker?: () => IdentityWorkerLike;
  /** Grabs the current camera frame (tests inject one); default: a VideoFrame of `video`. */
  capture?: () => VideoFrame | ImageBitmap | null;
}

export interface IdentityMonitor {
  /** The similarity since the last call (then cleared), or null: for the next MetricSample. */
  takeSimilarity(): number | null;
  phase(): IdentityPhase;
  /** Ends open events, terminates the worker (dropping the enrolled descriptor). */
  stop(atMs: number): void;
}

export const DEFAULT_IDENTITY_INTERVAL_MS = 2_000;
const DEFAULT_ENROL_INTERVAL_MS = 1_000;
/** A frame not answered within this long is abandoned (the worker may be starved of CPU). */
const FRAME_TIMEOUT_MS = 60_000;

function captureFrame(video: HTMLVideoElement | null): VideoFrame | null {
  if (
    video === null ||
    video.readyState < 2 ||
    video.videoWidth === 0 ||
    typeof VideoFrame === 'undefined'
  ) {
    return null;
  }
  try {
    return new VideoFrame(video);
  } catch {
    return null;
  }
}

export function startIdentityMonitor(options: IdentityMonitorOptions): IdentityMonitor {
  const intervalMs = options.intervalMs ?? DEFAULT_IDENTITY_INTERVAL_MS;
  const enrolIntervalMs = options.enrolIntervalMs ?? DEFAULT_ENROL_INTERVAL_MS;
  const decision = options.options ?? DEFAULT_IDENTITY_OPTIONS;
  const worker = (options.createWorker ?? createIdentityWorker)();
  let phase: IdentityPhase = 'loading';
  let stopped = false;
  let tracker: IdentityTracker | null = null;
  let similarity: number | null = null;
  let nextFrameId = 1;
  let inFlight: { frameId: number; sentMs: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let unavailable: IdentityEmission | null = null;

  function markUnavailable(message: string): void {
    if (stopped || phase === 'unavailable') return;
    phase = 'unavailable';
    monitorLog.warn('identity check unavailable', { message });
    const atMs = options.nowMs();
    // Ends whatever the tracker had open, then one measurement event until the page leaves.
    if (tracker !== null) options.emit(tracker.flush(atMs));
    tracker = null;
    unavailable = {
      eventId: options.newEventId(),
      kind: 'identity_uncertain',
      phase: 'start',
      startMs: atMs,
      endMs: null,
      durationMs: null,
      details: { reason: 'unavailable' },
    };
    options.emit([unavailable]);
  }

  function schedule(delayMs: number): void {
    if (stopped || phase === 'unavailable') return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(sendFrame, Math.max(0, delayMs));
  }

  function sendFrame(): void {
    timer = null;
    if (stopped || phase === 'unavailable') return;
    if (inFlight !== null) {
      if (options.nowMs() - inFlight.sentMs < FRAME_TIMEOUT_MS) return;
      inFlight = null;
    }
    const frame = options.capture ? options.capture() : captureFrame(options.video);
    if (frame === null) {
      schedule(enrolIntervalMs);
      return;
    }
    const frameId = nextFrameId++;
    const atMs = options.nowMs();
    inFlight = { frameId, sentMs: atMs };
    worker.postMessage({ type: 'frame', frameId, image: frame, atMs }, [frame]);
  }

  function afterAnswer(frameId: number): void {
    if (inFlight?.frameId !== frameId) return;
    const elapsedMs = options.nowMs() - inFlight.sentMs;
    inFlight = null;
    schedule((phase === 'checking' ? intervalMs : enrolIntervalMs) - elapsedMs);
  }

  function onMessage(message: IdentityFromWorker): void {
    if (stopped) return;
    switch (message.type) {
      case 'ready':
        monitorLog.info('identity model loaded', {
          loadMs: Math.round(message.loadMs),
          backend: message.backend,
        });
        phase = 'enrolling';
        schedule(0);
        break;
      case 'init-failed':
        markUnavailable(message.message);
        break;
      case 'enrolling':
        afterAnswer(message.frameId);
        break;
      case 'enrolled':
        monitorLog.info('identity enrolled', { frames: message.frames });
        phase = 'checking';
        tracker = createIdentityTracker(options.nowMs(), options.newEventId, decision);
        afterAnswer(message.frameId);
        break;
      case 'compared': {
        const verdict = judgeComparison(message.comparison, decision);
        if (verdict.kind !== 'unusable') similarity = verdict.similarity;
        if (tracker !== null) options.emit(tracker.step(message.comparison));
        afterAnswer(message.frameId);
        break;
      }
      case 'frame-failed':
        monitorLog.debug('identity frame failed', { message: message.message });
        afterAnswer(message.frameId);
        break;
    }
  }

  worker.addEventListener('message', (event) => {
    const message = parseIdentityFromWorker(event.data);
    if (message === null) {
      monitorLog.debug('unexpected identity worker message');
      return;
    }
    onMessage(message);
  });
  worker.addEventListener('error', (event) => {
    markUnavailable(event.message || 'the identity worker failed');
  });
  worker.postMessage({ type: 'init', modelBasePath: HUMAN_MODELS_PATH, wasmPath: TFJS_WASM_PATH });

  return {
    takeSimilarity() {
      const value = similarity;
      similarity = null;
      return value;
    },
    phase: () => phase,
    stop(atMs) {
      if (stopped) return;
      if (timer !== null) clearTimeout(timer);
      if (tracker !== null) options.emit(tracker.flush(atMs));
      if (unavailable !== null) {
        const endMs = Math.max(unavailable.startMs, atMs);
        options.emit([
          { ...unavailable, phase: 'end', endMs, durationMs: endMs - unavailable.startMs },
        ]);
      }
      stopped = true;
      tracker = null;
      worker.postMessage({ type: 'dispose' });
      worker.terminate();
    },
  };
}
