/**
 * Builders of valid samples, flags and whole random sessions for the scoring tests. Imported by
 * tests only; kept pure (no I/O) like the rest of shared/.
 */
import { EVENT_CATEGORY, EventKindSchema, type EventKind } from '../protocol/integrity-event';
import type { MetricSample } from '../protocol/metric-sample';
import type { Flag, ReviewDecision, SpeakerInterval } from '../detection/flag';
import { randomBetween, randomInt, randomPick } from './seeded-random';

/** A plausible candidate-clock epoch (14 Nov 2023) so no test silently relies on t = 0. */
export const T0_MS = 1_700_000_000_000;

export const SECOND_MS = 1000;
export const MINUTE_MS = 60_000;

/** A fully measured, attentive second; override what the test is about. */
export function makeSample(overrides: Partial<MetricSample> = {}): MetricSample {
  const windowStartMs = overrides.windowStartMs ?? T0_MS;
  return {
    type: 'metric_sample',
    v: 1,
    stream: 'stream-test-01',
    seq: 0,
    windowStartMs,
    windowEndMs: windowStartMs + SECOND_MS,
    framesOffered: 10,
    framesAnalysed: 10,
    analysedFps: 10,
    inferenceMsMedian: 12,
    faceCountMax: 1,
    oneFaceRatio: 1,
    noFaceRatio: 0,
    multiFaceRatio: 0,
    gazeStability: 0.9,
    gazeDispersionDeg: 1.5,
    headSpeedDegPerS: 5,
    suddenTurns: 0,
    focusConsistency: 0.95,
    lookingAwayRatio: 0.05,
    yawDeg: 2,
    pitchDeg: -1,
    rollDeg: 0,
    blinkRatePerMin: 15,
    luminance: 120,
    sharpness: 200,
    faceLuminance: 130,
    coverage: 1,
    qualityIssue: 'none',
    calibrated: true,
    ...overrides,
  };
}

/**
 * `count` consecutive one-second samples from `fromMs`, seq continuing from `firstSeq`, each
 * built by `overrides(i)`.
 */
export function sampleRun(
  fromMs: number,
  count: number,
  overrides: (index: number) => Partial<MetricSample> = () => ({}),
  firstSeq = 0,
): MetricSample[] {
  return Array.from({ length: count }, (_, i) =>
    makeSample({
      seq: firstSeq + i,
      windowStartMs: fromMs + i * SECOND_MS,
      windowEndMs: fromMs + (i + 1) * SECOND_MS,
      ...overrides(i),
    }),
  );
}

export function makeFlag(overrides: Partial<Flag> & Pick<Flag, 'kind'>): Flag {
  const startMs = overrides.startMs ?? T0_MS;
  const endMs = overrides.endMs === undefined ? startMs : overrides.endMs;
  return {
    flagId: 'flag-0000',
    category: EVENT_CATEGORY[overrides.kind],
    startMs,
    endMs,
    durationMs: endMs === null ? 0 : endMs - startMs,
    details: {},
    review: 'pending',
    ...overrides,
  };
}

export const INTEGRITY_KINDS: readonly EventKind[] = EventKindSchema.options.filter(
  (k) => EVENT_CATEGORY[k] === 'integrity',
);
export const MEASUREMENT_KINDS: readonly EventKind[] = EventKindSchema.options.filter(
  (k) => EVENT_CATEGORY[k] === 'measurement',
);

export interface RandomSession {
  samples: MetricSample[];
  flags: Flag[];
  speakers: SpeakerInterval[];
  startMs: number;
  atMs: number;
}

/** Nullable value: null one time in `nullEvery`. */
function maybe<T>(random: () => number, nullEvery: number, value: () => T): T | null {
  return random() < 1 / nullEvery ? null : value();
}

export function randomFlag(
  random: () => number,
  id: number,
  startMs: number,
  spanMs: number,
  kinds: readonly EventKind[] = EventKindSchema.options,
): Flag {
  const kind = randomPick(random, kinds);
  const flagStartMs = startMs + randomInt(random, 0, Math.max(0, spanMs));
  const shape = random();
  const endMs =
    shape < 0.3
      ? flagStartMs // instant
      : shape < 0.85
        ? flagStartMs + randomInt(random, 1, 3 * MINUTE_MS)
        : null; // still open
  const review: ReviewDecision = randomPick(random, [
    'pending',
    'pending',
    'confirmed',
    'dismissed',
  ]);
  return makeFlag({
    flagId: `flag-${String(id).padStart(4, '0')}`,
    kind,
    startMs: flagStartMs,
    endMs,
    review,
  });
}

/**
 * A whole random session: gaps, partial coverage, null signals, every flag kind and shape
 * (instant, ended, open), candidate and interviewer speech, atMs anywhere in or after it.
 */
export function randomSession(random: () => number): RandomSession {
  const startMs = T0_MS + randomInt(random, 0, 1_000_000);
  const seconds = randomInt(random, 0, 900);
  const samples: MetricSample[] = [];
  for (let i = 0; i < seconds; i += 1) {
    if (random() < 0.1) continue; // lost or never sent
    const coverage = random() < 0.1 ? 0 : randomBetween(random, 0, 1);
    samples.push(
      makeSample({
        seq: i,
        windowStartMs: startMs + i * SECOND_MS,
        windowEndMs: startMs + (i + 1) * SECOND_MS,
        coverage,
        focusConsistency: maybe(random, 8, () => random()),
        gazeStability: maybe(random, 8, () => random()),
        headSpeedDegPerS: maybe(random, 8, () => randomBetween(random, 0, 150)),
        noFaceRatio: random() < 0.2 ? random() : 0,
      }),
    );
  }
  const spanMs = seconds * SECOND_MS;
  const flags = Array.from({ length: randomInt(random, 0, 20) }, (_, i) =>
    randomFlag(random, i, startMs, spanMs),
  );
  const speakers: SpeakerInterval[] = [];
  for (let t = startMs; t < startMs + spanMs;) {
    const lengthMs = randomInt(random, 1000, 60_000);
    speakers.push({
      role: random() < 0.5 ? 'candidate' : 'interviewer',
      startMs: t,
      endMs: t + lengthMs,
    });
    t += lengthMs + randomInt(random, 0, 20_000);
  }
  const atMs = startMs + randomInt(random, 0, spanMs + 5 * MINUTE_MS);
  return { samples, flags, speakers, startMs, atMs };
}

/** Fisher-Yates with the seeded generator: input order must never matter. */
export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = a;
  }
  return copy;
}
