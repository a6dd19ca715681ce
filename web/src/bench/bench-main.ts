import type { Room } from 'livekit-client';
import { DEFAULT_POLICY } from '../../../shared/policy/policy';
import {
  CandidateMessageSchema,
  DATA_TOPIC,
  decodePacket,
  encodePacket,
} from '../../../shared/protocol/data-message';
import { MetricSampleSchema, type MetricSample } from '../../../shared/protocol/metric-sample';
import { computeScore } from '../../../shared/scoring/score-engine';
import { randomId } from '../monitor/events';
import { startCandidateMonitor, type MonitorStatus } from '../monitor/candidate-monitor';
import { createCameraFrameSource, type FrameSourceKind } from '../monitor/frame-source';
import { startFramePump } from '../monitor/frame-pump';
import {
  createLandmarkerClient,
  DEFAULT_NUM_FACES,
  type LandmarkerClient,
} from '../monitor/landmarker-client';
import { createSampleWindow } from '../monitor/sample-window';
import type { Delegate } from '../monitor/worker-protocol';
import type { FrameFeatures } from '../../../shared/tracking/frame-features';

/**
 * The tracking benchmark page (bench/tracking-bench.ts drives it through `window.trackingBench`).
 * It runs the production pipeline, not a copy: the same worker, frame source, pump and sample
 * window as the candidate page, on the real camera (Chromium's fake camera in the benchmark),
 * without LiveKit. Only numbers come back to the driver.
 */

export interface BenchSetup {
  delegate: Delegate;
  /** Page-side wall time from creating the worker to the landmarker being ready. */
  loadMs: number;
  downloadMs: number;
  initMs: number;
  modelBytes: number;
  progressEvents: number;
  /** First analysed frame (graph warm-up), round trip through the worker. */
  firstFrameMs: number;
  firstFrameFaces: number;
  trackProcessorAvailable: boolean;
  camera: { width: number | null; height: number | null; frameRate: number | null; label: string };
}

export interface Distribution {
  count: number;
  median: number | null;
  p95: number | null;
  max: number | null;
}

export interface BenchPhase {
  targetFps: number | 'unlimited';
  source: FrameSourceKind;
  durationMs: number;
  offered: number;
  analysed: number;
  droppedBusy: number;
  failed: number;
  analysedPerS: number;
  /** detectForVideo alone, inside the worker. */
  inferenceMs: Distribution;
  /** Page-side: bitmap transfer + landmarker + grey copy + features, until the answer arrives. */
  roundTripMs: Distribution;
  /** Analysed frames by face count (index = faces, last bucket = 4 or more). */
  faceCounts: number[];
  samples: number;
  invalidSamples: number;
  sampleBytes: Distribution;
  exampleSample: MetricSample | null;
  mainHeapUsedBytes: number | null;
}

/** What the full candidate monitor did over a fake room that acknowledges everything. */
export interface MonitorSmoke {
  statusPhases: string[];
  lastStatus: MonitorStatus | null;
  published: { samples: number; events: number; bytes: number };
  /** `kind:phase` of every event published, in order. */
  events: string[];
  noticesSeen: string[];
  invalidPackets: number;
  /** Highest seq acknowledged by the fake recorder. */
  ackedUpToSeq: number;
}

/** Every analysed frame of a freshly reopened camera (scenario clips start again on reopen). */
export interface FeatureDump {
  /** Capture time of the first frame the reopened camera offered: clip time 0. */
  firstOfferMs: number | null;
  offered: number[];
  frames: FrameFeatures[];
}

export interface TrackingBench {
  setup(delegate: Delegate): Promise<BenchSetup>;
  /** Reopens the camera and returns the features of every frame analysed for `durationMs`. */
  features(options: { targetFps: number; durationMs: number }): Promise<FeatureDump>;
  /** The whole monitor (startCandidateMonitor) for `durationMs`, recalibrating halfway. */
  smoke(durationMs: number): Promise<MonitorSmoke>;
  run(options: {
    targetFps: number | 'unlimited';
    durationMs: number;
    source?: FrameSourceKind;
  }): Promise<BenchPhase>;
}

declare global {
  interface Window {
    trackingBench?: TrackingBench;
  }
}

const policy = DEFAULT_POLICY;
const video = document.getElementById('camera') as HTMLVideoElement;
const logElement = document.getElementById('log');
let camera: MediaStreamTrack | null = null;
let landmarker: LandmarkerClient | null = null;

function log(line: string): void {
  if (logElement) logElement.textContent += `${line}\n`;
}

function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, median: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return {
    count: sorted.length,
    median: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1] as number,
  };
}

function heapUsedBytes(): number | null {
  const memory = (performance as { memory?: { usedJSHeapSize: number } }).memory;
  return memory?.usedJSHeapSize ?? null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function setup(delegate: Delegate): Promise<BenchSetup> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 },
    audio: false,
  });
  camera = stream.getVideoTracks()[0] ?? null;
  video.srcObject = stream;
  await video.play();

  const startMs = performance.now();
  let progressEvents = 0;
  landmarker = createLandmarkerClient({
    modelUrl: '/models/face_landmarker.task',
    wasmBaseUrl: '/mediapipe/wasm',
    delegate,
    numFaces: DEFAULT_NUM_FACES,
    blinkThreshold: policy.tracking.blinkThreshold,
  });
  const ready = await landmarker.load(() => {
    progressEvents += 1;
  });
  const loadMs = performance.now() - startMs;
  log(`model ready in ${loadMs.toFixed(0)} ms`);

  const firstStartMs = performance.now();
  const features = await landmarker.analyse(new VideoFrame(video), Date.now());
  const firstFrameMs = performance.now() - firstStartMs;
  const settings = camera?.getSettings() ?? {};
  return {
    delegate: ready.delegate,
    loadMs,
    downloadMs: ready.downloadMs,
    initMs: ready.initMs,
    modelBytes: ready.modelBytes,
    progressEvents,
    firstFrameMs,
    firstFrameFaces: features.faceCount,
    trackProcessorAvailable: 'MediaStreamTrackProcessor' in globalThis,
    camera: {
      width: settings.width ?? null,
      height: settings.height ?? null,
      frameRate: settings.frameRate ?? null,
      label: camera?.label ?? '',
    },
  };
}

async function run(options: {
  targetFps: number | 'unlimited';
  durationMs: number;
  source?: FrameSourceKind;
}): Promise<BenchPhase> {
  const analyser = landmarker;
  if (analyser === null) throw new Error('call setup() first');
  const startMs = Date.now();
  const windowing = createSampleWindow({ policy, newEventId: () => randomId(), startMs });
  const stream = randomId(22);
  const inference: number[] = [];
  const roundTrip: number[] = [];
  const faceCounts = [0, 0, 0, 0, 0];
  const samples: MetricSample[] = [];
  let invalidSamples = 0;

  const intervalMs = options.targetFps === 'unlimited' ? 10 : 1000 / options.targetFps;
  const source = createCameraFrameSource({
    video,
    getTrack: () => camera,
    intervalMs,
    nowMs: Date.now,
    prefer: options.source,
  });
  const pump = startFramePump({
    source,
    targetFps: options.targetFps,
    nowMs: Date.now,
    analyse: async (image, timestampMs) => {
      const sentMs = performance.now();
      const features = await analyser.analyse(image, timestampMs);
      roundTrip.push(performance.now() - sentMs);
      return features;
    },
    onOffer: (timestampMs) => windowing.offer(timestampMs),
    onFeatures: (features) => {
      inference.push(features.inferenceMs);
      faceCounts[Math.min(4, features.faceCount)] =
        (faceCounts[Math.min(4, features.faceCount)] ?? 0) + 1;
      windowing.addFrame(features);
    },
  });

  const close = (untilMs: number): void => {
    for (const body of windowing.closeUpTo(untilMs, { cameraDelivering: true })) {
      const draft: MetricSample = {
        type: 'metric_sample',
        v: 1,
        stream,
        seq: samples.length,
        ...body,
      };
      const score = computeScore({
        samples: [...samples, draft],
        flags: [],
        speakers: [],
        startMs,
        atMs: draft.windowEndMs,
        policy,
      }).score;
      const sample = { ...draft, provisionalScore: score };
      if (!MetricSampleSchema.safeParse(sample).success) invalidSamples += 1;
      samples.push(sample);
    }
  };
  const timer = setInterval(() => {
    const inFlightMs = pump.inFlightTimestampMs();
    close(inFlightMs === null ? Date.now() : Math.min(Date.now(), inFlightMs));
  }, 250);
  await sleep(options.durationMs);
  pump.stop();
  clearInterval(timer);
  // Let the frame in flight land, then close the last whole window.
  await sleep(300);
  close(startMs + options.durationMs);

  const totals = pump.totals();
  const sampleBytes = samples.map((s) => encodePacket(s).byteLength);
  log(`${String(options.targetFps)}: ${totals.analysed} frames analysed`);
  return {
    targetFps: options.targetFps,
    source: source.kind,
    durationMs: options.durationMs,
    ...totals,
    analysedPerS: totals.analysed / (options.durationMs / 1000),
    inferenceMs: distribution(inference),
    roundTripMs: distribution(roundTrip),
    faceCounts,
    samples: samples.length,
    invalidSamples,
    sampleBytes: distribution(sampleBytes),
    // The middle one: calibrated and with a full window behind it.
    exampleSample: samples[Math.floor(samples.length / 2)] ?? null,
    mainHeapUsedBytes: heapUsedBytes(),
  };
}

const RECORDER = 'recorder';

/**
 * Just enough of a connected livekit-client Room for the monitor: an event emitter, a local
 * participant without publications, and publishData that records the packet and answers with
 * the recorder's cumulative ack, as the real recorder does.
 */
function fakeRoom(onPacket: (bytes: Uint8Array) => number | null) {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const room = {
    state: 'connected',
    on(event: string, listener: (...args: unknown[]) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)?.add(listener);
      return room;
    },
    off(event: string, listener: (...args: unknown[]) => void) {
      listeners.get(event)?.delete(listener);
      return room;
    },
    localParticipant: {
      trackPublications: new Map(),
      getTrackPublication: () => undefined,
      publishData: async (bytes: Uint8Array) => {
        const ackUpTo = onPacket(bytes);
        if (ackUpTo === null) return;
        await Promise.resolve();
        const ack = encodePacket({ type: 'ack', v: 1, stream: streamOf(bytes), upToSeq: ackUpTo });
        for (const listener of listeners.get('dataReceived') ?? []) {
          listener(ack, { identity: RECORDER }, undefined, DATA_TOPIC);
        }
      },
    },
  };
  return room;
}

function streamOf(bytes: Uint8Array): string {
  return (JSON.parse(new TextDecoder().decode(bytes)) as { stream: string }).stream;
}

async function smoke(durationMs: number): Promise<MonitorSmoke> {
  const result: MonitorSmoke = {
    statusPhases: [],
    lastStatus: null,
    published: { samples: 0, events: 0, bytes: 0 },
    events: [],
    noticesSeen: [],
    invalidPackets: 0,
    ackedUpToSeq: -1,
  };
  const received = new Set<number>();
  const room = fakeRoom((bytes) => {
    result.published.bytes += bytes.byteLength;
    const decoded = decodePacket(bytes, CandidateMessageSchema);
    if (!decoded.ok) {
      result.invalidPackets += 1;
      return null;
    }
    const message = decoded.message;
    if (!received.has(message.seq)) {
      received.add(message.seq);
      if (message.type === 'metric_sample') result.published.samples += 1;
      else {
        result.published.events += 1;
        result.events.push(`${message.kind}:${message.phase}`);
      }
    }
    while (received.has(result.ackedUpToSeq + 1)) result.ackedUpToSeq += 1;
    return result.ackedUpToSeq;
  });
  const monitor = startCandidateMonitor({
    room: room as unknown as Room,
    recorderIdentity: RECORDER,
    video,
    cameraTrack: camera,
    requireFullscreen: true,
    onStatus: (status) => {
      result.lastStatus = status;
      if (result.statusPhases.at(-1) !== status.phase) result.statusPhases.push(status.phase);
    },
    onNotices: (notices) => {
      for (const notice of notices) {
        if (!result.noticesSeen.includes(notice.message)) result.noticesSeen.push(notice.message);
      }
    },
  });
  await sleep(durationMs / 2);
  monitor.recalibrate();
  await sleep(durationMs / 2);
  await monitor.stop();
  return result;
}

async function features(options: { targetFps: number; durationMs: number }): Promise<FeatureDump> {
  const analyser = landmarker;
  if (analyser === null) throw new Error('call setup() first');
  camera?.stop();
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: 640, height: 480 },
    audio: false,
  });
  camera = stream.getVideoTracks()[0] ?? null;
  video.srcObject = stream;
  await video.play();
  const dump: FeatureDump = { firstOfferMs: null, offered: [], frames: [] };
  const source = createCameraFrameSource({
    video,
    getTrack: () => camera,
    intervalMs: 1000 / options.targetFps,
    nowMs: Date.now,
  });
  const pump = startFramePump({
    source,
    targetFps: options.targetFps,
    nowMs: Date.now,
    analyse: (image, timestampMs) => analyser.analyse(image, timestampMs),
    onOffer: (timestampMs) => {
      dump.firstOfferMs ??= timestampMs;
      dump.offered.push(timestampMs);
    },
    onFeatures: (f) => dump.frames.push(f),
  });
  await sleep(options.durationMs);
  pump.stop();
  await sleep(300);
  return dump;
}

window.trackingBench = { setup, run, smoke, features };
log('bench page ready');
