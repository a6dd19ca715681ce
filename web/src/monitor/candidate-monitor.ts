import { Track, type Room } from 'livekit-client';
import type { DetectorEmission } from '../../../shared/detection/condition-detector';
import { mergeEventReports } from '../../../shared/detection/flags';
import { DEFAULT_POLICY, type Policy } from '../../../shared/policy/policy';
import type { IntegrityEvent } from '../../../shared/protocol/integrity-event';
import { compactSample, type MetricSample } from '../../../shared/protocol/metric-sample';
import { computeScore } from '../../../shared/scoring/score-engine';
import type { MetricSampleBody } from '../../../shared/tracking/metric-window';
import {
  currentLocalTrack,
  followLocalTrack,
  reportAnalysisFailed,
  reportCameraFailed,
  watchCameraTrack,
  watchClipboard,
  watchConnection,
  watchDevices,
  watchDisplays,
  watchFullscreen,
  watchLocalMute,
  watchMicrophoneTrack,
  watchPageVisibility,
  watchVirtualCamera,
  watchWindowFocus,
} from './browser-signals';
import { AnalysisUnavailableError } from './errors';
import { randomId, type EmitEvent, type EventReport } from './events';
import { createCameraFrameSource, isTrackDelivering } from './frame-source';
import { startFramePump, type FramePump } from './frame-pump';
import {
  createLandmarkerClient,
  DEFAULT_NUM_FACES,
  type LandmarkerClient,
} from './landmarker-client';
import { monitorLog } from './monitor-log';
import { createNoticeBoard, sameNotices, type CandidateNotice } from './notice-board';
import { createOutbox } from './outbox';
import { createSampleWindow, type SampleWindow } from './sample-window';
import { startIdentityMonitor, type IdentityMonitor } from './identity/identity-monitor';

export type { CandidateNotice } from './notice-board';

/**
 * The candidate page's monitoring runtime: on-device face analysis in a worker, page and device
 * signals, one-second MetricSamples and IntegrityEvents delivered reliably to the hidden recorder
 * participant, a provisional score, and plain-words notices for the candidate.
 *
 * Nothing here judges the candidate: every output is an observable signal for a human reviewer.
 * When analysis is impossible (model or worker failure, no camera) the interview goes on; the
 * failure is recorded as a measurement event and the status says so.
 */
export interface CandidateMonitorOptions {
  /** Connected livekit-client Room. */
  room: Room;
  recorderIdentity: string;
  /** Playing the local camera track. */
  video: HTMLVideoElement;
  cameraTrack: MediaStreamTrack | null;
  /** Default '/models/face_landmarker.task' (same origin). */
  modelUrl?: string;
  /** Default '/mediapipe/wasm' (same origin). */
  wasmBaseUrl?: string;
  delegate?: 'CPU' | 'GPU';
  policy?: Policy;
  requireFullscreen?: boolean;
  /**
   * The interview's opt-in identity check, which the candidate agreed to before joining. When
   * false (the default) no identity model is loaded and samples carry no identitySimilarity.
   */
  identityCheck?: boolean;
  onStatus: (status: MonitorStatus) => void;
  /** Plain-words live notices for the candidate. */
  onNotices: (notices: readonly CandidateNotice[]) => void;
}

export type MonitorStatus =
  | { phase: 'loading-model'; loadedBytes: number; totalBytes: number | null }
  | { phase: 'calibrating'; remainingMs: number }
  | { phase: 'running'; analysedFps: number; pending: number; provisionalScore: number | null }
  /** The interview continues; the failure is recorded as analysis_failed. */
  | { phase: 'failed'; message: string };

export interface CandidateMonitor {
  recalibrate(): void;
  stop(): Promise<void>;
}

export const DEFAULT_MODEL_URL = '/models/face_landmarker.task';
export const DEFAULT_WASM_BASE_URL = '/mediapipe/wasm';
/** How often windows are closed, the status refreshed and notices expired. */
const TICK_MS = 250;
/** On stop, wait this long for the recorder to acknowledge the last messages. */
const DRAIN_ON_STOP_MS = 2000;
/**
 * This many frames failing in a row (3 s at 10/s) means the analyser is broken (e.g. the wasm
 * aborted), not that a frame was unreadable: analysis is then declared unavailable.
 */
const MAX_CONSECUTIVE_FRAME_FAILURES = 30;

type Cleanup = () => void;

export function startCandidateMonitor(options: CandidateMonitorOptions): CandidateMonitor {
  const { room, recorderIdentity } = options;
  const policy = options.policy ?? DEFAULT_POLICY;
  const nowMs = (): number => Date.now();
  const startedAtMs = nowMs();
  const outbox = createOutbox({ room, recorderIdentity, nowMs });
  const board = createNoticeBoard();
  const events: IntegrityEvent[] = [];
  const samples: MetricSample[] = [];
  const cleanups: Cleanup[] = [];
  let stopped = false;
  /** Set as stop begins: the page no longer listens, so no status or notice goes out. */
  let quiet = false;
  let lastStatusJson = '';
  let lastNotices: readonly CandidateNotice[] = [];
  let failure: string | null = null;
  let client: LandmarkerClient | null = null;
  let windowing: SampleWindow | null = null;
  let pump: FramePump | null = null;
  let tickTimer: ReturnType<typeof setInterval> | null = null;
  let frameErrors = 0;
  let consecutiveFrameErrors = 0;
  let identity: IdentityMonitor | null = null;

  monitorLog.info('monitor started', {
    stream: outbox.stream,
    delegate: options.delegate ?? 'CPU',
  });

  function setStatus(status: MonitorStatus): void {
    if (quiet) return;
    const json = JSON.stringify(status);
    if (json === lastStatusJson) return;
    lastStatusJson = json;
    options.onStatus(status);
  }

  function refreshNotices(): void {
    if (quiet) return;
    const notices = board.current(nowMs());
    if (sameNotices(notices, lastNotices)) return;
    lastNotices = notices;
    options.onNotices(notices);
  }

  const emit: EmitEvent = (report: EventReport) => {
    const event = outbox.post((header) => ({
      type: 'integrity_event',
      v: 1,
      ...header,
      ...report,
    }));
    if (event === null) return;
    events.push(event);
    board.observe(report, nowMs());
    refreshNotices();
  };

  const emitDetector = (emissions: readonly DetectorEmission[]): void => {
    for (const emission of emissions) emit({ ...emission });
  };

  /** The provisional score as the recorder would compute it from what this page sent. */
  function provisionalScore(candidate: MetricSample): number | null {
    try {
      return computeScore({
        samples: [...samples, candidate],
        flags: mergeEventReports(events, [], candidate.windowEndMs),
        speakers: [],
        startMs: startedAtMs,
        atMs: candidate.windowEndMs,
        policy,
      }).score;
    } catch (error) {
      monitorLog.debug('provisional score unavailable', { error: String(error) });
      return null;
    }
  }

  function sendSample(body: MetricSampleBody): void {
    const sample = outbox.post((header) => {
      const draft: MetricSample = compactSample({
        type: 'metric_sample',
        v: 1,
        ...header,
        ...body,
        ...(identity === null ? {} : { identitySimilarity: identity.takeSimilarity() }),
      });
      return { ...draft, provisionalScore: provisionalScore(draft) };
    });
    if (sample !== null) samples.push(sample);
  }

  const cameraTrack = (): MediaStreamTrack | null =>
    currentLocalTrack(room, Track.Source.Camera) ?? options.cameraTrack;

  function tick(): void {
    if (stopped || windowing === null || pump === null) return;
    const now = nowMs();
    // A frame still in the worker belongs to a window that is not final yet.
    const inFlightMs = pump.inFlightTimestampMs();
    const untilMs = inFlightMs === null ? now : Math.min(now, inFlightMs);
    const bodies = windowing.closeUpTo(untilMs, {
      cameraDelivering: isTrackDelivering(cameraTrack()),
    });
    for (const body of bodies) sendSample(body);
    const calibration = windowing.calibration(now);
    if (calibration.active) {
      // Also while recalibrating (the previous baseline is used meanwhile) and while no face
      // has been seen yet: the candidate is asked to look at the screen.
      setStatus({ phase: 'calibrating', remainingMs: Math.round(calibration.remainingMs) });
    } else {
      const last = samples.at(-1);
      setStatus({
        phase: 'running',
        analysedFps: last?.analysedFps ?? 0,
        pending: outbox.stats().pending,
        provisionalScore: last?.provisionalScore ?? null,
      });
    }
    refreshNotices();
  }

  /** Analysis stops for good; `record` false when another event already says why (no camera). */
  function fail(error: unknown, record = true): void {
    if (stopped || failure !== null) return;
    const reason = error instanceof AnalysisUnavailableError ? error.reason : 'model_init';
    failure = error instanceof Error ? error.message : String(error);
    monitorLog.warn('on-device analysis unavailable', { reason, message: failure });
    pump?.stop();
    pump = null;
    if (windowing !== null) emitDetector(windowing.finish(nowMs()));
    windowing = null;
    if (record) cleanups.push(reportAnalysisFailed(emit, reason, failure));
    setStatus({ phase: 'failed', message: failure });
  }

  function startAnalysis(landmarker: LandmarkerClient): void {
    const startMs = nowMs();
    const sampleWindow = createSampleWindow({ policy, newEventId: () => randomId(), startMs });
    windowing = sampleWindow;
    const intervalMs = 1000 / policy.tracking.targetFps;
    const source = createCameraFrameSource({
      video: options.video,
      getTrack: cameraTrack,
      intervalMs,
      nowMs,
    });
    pump = startFramePump({
      source,
      analyse: (image, timestampMs) => landmarker.analyse(image, timestampMs),
      targetFps: policy.tracking.targetFps,
      nowMs,
      onOffer: (timestampMs) => sampleWindow.offer(timestampMs),
      onFeatures: (features) => {
        consecutiveFrameErrors = 0;
        if (windowing === sampleWindow) emitDetector(sampleWindow.addFrame(features));
      },
      onFrameError: (error, stage) => {
        frameErrors += 1;
        if (stage === 'analyse') consecutiveFrameErrors += 1;
        // A few unreadable frames happen (camera restart); a steady stream means a real problem.
        if (frameErrors === 1 || frameErrors % 100 === 0) {
          monitorLog.warn('frame analysis failed', { count: frameErrors, error: String(error) });
        }
        if (consecutiveFrameErrors >= MAX_CONSECUTIVE_FRAME_FAILURES) {
          fail(
            new AnalysisUnavailableError(
              'worker_crashed',
              `analysis keeps failing: ${String(error)}`,
            ),
          );
        }
      },
    });
    cleanups.push(landmarker.onCrash(fail));
    if (options.identityCheck === true && identity === null) {
      // After the landmarker is up, so the two models do not compete while loading; enrolment
      // then happens during calibration, while the candidate looks at the screen.
      identity = startIdentityMonitor({
        video: options.video,
        nowMs,
        newEventId: () => randomId(),
        emit: (emissions) => {
          for (const emission of emissions) emit({ ...emission });
        },
      });
    }
    tickTimer = setInterval(tick, TICK_MS);
    monitorLog.info('analysis running', {
      source: source.kind,
      targetFps: policy.tracking.targetFps,
    });
    tick();
  }

  // Page and device signals run whatever happens to the analysis.
  const virtualCameraLabels = new Set<string>();
  cleanups.push(
    watchPageVisibility(emit),
    watchWindowFocus(emit),
    watchClipboard(emit),
    watchLocalMute(emit, room),
    watchDevices(emit),
    watchDisplays(emit),
    watchConnection(emit, room),
    followLocalTrack(room, Track.Source.Camera, options.cameraTrack, (track) => {
      const stopTrack = watchCameraTrack(emit, track);
      if (!virtualCameraLabels.has(track.label)) {
        virtualCameraLabels.add(track.label);
        watchVirtualCamera(emit, track);
      }
      return stopTrack;
    }),
    followLocalTrack(room, Track.Source.Microphone, null, (track) =>
      watchMicrophoneTrack(emit, track),
    ),
  );
  if (options.requireFullscreen === true) cleanups.push(watchFullscreen(emit));

  if (cameraTrack() === null) {
    reportCameraFailed(emit, 'no camera track');
    fail(new AnalysisUnavailableError('no_camera', 'no camera is available to analyse'), false);
  } else if (typeof Worker === 'undefined' || typeof createImageBitmap !== 'function') {
    fail(
      new AnalysisUnavailableError('unsupported_browser', 'this browser cannot run the analysis'),
    );
  } else {
    setStatus({ phase: 'loading-model', loadedBytes: 0, totalBytes: null });
    const landmarker = createLandmarkerClient({
      modelUrl: options.modelUrl ?? DEFAULT_MODEL_URL,
      wasmBaseUrl: options.wasmBaseUrl ?? DEFAULT_WASM_BASE_URL,
      delegate: options.delegate ?? 'CPU',
      numFaces: DEFAULT_NUM_FACES,
      blinkThreshold: policy.tracking.blinkThreshold,
    });
    client = landmarker;
    landmarker
      .load((loadedBytes, totalBytes) => {
        if (!stopped && failure === null)
          setStatus({ phase: 'loading-model', loadedBytes, totalBytes });
      })
      .then((ready) => {
        if (stopped) return;
        monitorLog.info('face model loaded', { ...ready });
        startAnalysis(landmarker);
      })
      .catch(fail);
  }

  return {
    recalibrate() {
      if (stopped || windowing === null) return;
      monitorLog.info('recalibrating');
      emitDetector(windowing.recalibrate(nowMs()));
      tick();
    },

    async stop() {
      if (stopped || quiet) return;
      quiet = true;
      pump?.stop();
      pump = null;
      if (tickTimer !== null) clearInterval(tickTimer);
      if (windowing !== null) {
        // Whole windows only: a partial last second would read as a coverage drop.
        const bodies = windowing.closeUpTo(nowMs(), {
          cameraDelivering: isTrackDelivering(cameraTrack()),
        });
        for (const body of bodies) sendSample(body);
        emitDetector(windowing.finish(nowMs()));
        windowing = null;
      }
      identity?.stop(nowMs());
      identity = null;
      // Watchers end their open events as they clean up; those go out with the drain below.
      for (const cleanup of cleanups.splice(0).reverse()) cleanup();
      stopped = true;
      client?.dispose();
      const drained = await outbox.drain(DRAIN_ON_STOP_MS);
      outbox.stop();
      monitorLog.info('monitor stopped', { drained, ...outbox.stats() });
    },
  };
}
