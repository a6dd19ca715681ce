import { z } from 'zod';
import { MAX_DETAIL_ABS, MAX_EPOCH_MS, MAX_INTERVIEW_MS } from './bounds';

/**
 * Every kind of integrity or measurement event the candidate's browser may report.
 * `category` (see EVENT_CATEGORY) separates suspicion from measurement problems: the latter
 * only ever reduce coverage and are never penalised.
 */
export const EventKindSchema = z.enum([
  'page_hidden',
  'window_blur',
  'fullscreen_exit',
  'copy',
  'cut',
  'paste',
  'context_menu',
  'camera_ended',
  'camera_muted',
  'microphone_muted',
  'device_changed',
  'virtual_camera',
  'multiple_displays',
  'no_face',
  'multiple_faces',
  'looking_away',
  'camera_covered',
  'reading',
  'identity_changed',
  'poor_quality',
  'connection_lost',
  'analysis_failed',
  'camera_failed',
  'identity_uncertain',
]);
export type EventKind = z.infer<typeof EventKindSchema>;

export type EventCategory = 'integrity' | 'measurement';

export const EVENT_CATEGORY: Readonly<Record<EventKind, EventCategory>> = {
  page_hidden: 'integrity',
  window_blur: 'integrity',
  fullscreen_exit: 'integrity',
  copy: 'integrity',
  cut: 'integrity',
  paste: 'integrity',
  context_menu: 'integrity',
  camera_ended: 'integrity',
  camera_muted: 'integrity',
  microphone_muted: 'integrity',
  device_changed: 'integrity',
  virtual_camera: 'integrity',
  multiple_displays: 'integrity',
  no_face: 'integrity',
  multiple_faces: 'integrity',
  looking_away: 'integrity',
  camera_covered: 'integrity',
  reading: 'integrity',
  identity_changed: 'integrity',
  poor_quality: 'measurement',
  connection_lost: 'measurement',
  analysis_failed: 'measurement',
  camera_failed: 'measurement',
  identity_uncertain: 'measurement',
};

/** Plain words for people: the interviewer's flag list and the candidate's notices. */
export const EVENT_LABEL: Readonly<Record<EventKind, string>> = {
  page_hidden: 'Interview tab hidden',
  window_blur: 'Window lost focus',
  fullscreen_exit: 'Left fullscreen',
  copy: 'Copied text',
  cut: 'Cut text',
  paste: 'Pasted text',
  context_menu: 'Opened context menu',
  camera_ended: 'Camera stopped',
  camera_muted: 'Camera muted',
  microphone_muted: 'Microphone muted',
  device_changed: 'Media device changed',
  virtual_camera: 'Virtual camera in use',
  multiple_displays: 'More than one display',
  no_face: 'No face visible',
  multiple_faces: 'More than one person',
  looking_away: 'Looking away',
  camera_covered: 'Camera covered',
  reading: 'Reading pattern',
  identity_changed: 'Different person',
  poor_quality: 'Poor video quality',
  connection_lost: 'Connection interrupted',
  analysis_failed: 'Analysis unavailable',
  camera_failed: 'Camera unavailable',
  identity_uncertain: 'Identity check unavailable',
};

/** Numbers behind an event, never pixels: a handful of short scalar or string facts. */
export const EventDetailsSchema = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,31}$/),
    z.union([
      z.number().min(-MAX_DETAIL_ABS).max(MAX_DETAIL_ABS),
      z.boolean(),
      z.string().max(120),
    ]),
  )
  .refine((d) => Object.keys(d).length <= 12, { message: 'at most 12 detail fields' });

/**
 * One report about an event. Durable events are reported twice with the same `eventId`: once
 * when they start (`phase: 'start'`, so the interviewer sees them at once) and once when they
 * end (`phase: 'end'`, with `endMs` and `durationMs`). Momentary ones are `phase: 'instant'`.
 */
export const INTEGRITY_EVENT_FIELDS = {
  type: z.literal('integrity_event'),
  v: z.literal(1),
  stream: z.string().regex(/^[A-Za-z0-9_-]{8,40}$/),
  seq: z.number().int().nonnegative(),
  eventId: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/),
  kind: EventKindSchema,
  phase: z.enum(['start', 'end', 'instant']),
  startMs: z.number().nonnegative().max(MAX_EPOCH_MS),
  endMs: z.number().nonnegative().max(MAX_EPOCH_MS).nullable(),
  durationMs: z.number().nonnegative().max(MAX_INTERVIEW_MS).nullable(),
  details: EventDetailsSchema,
};

/** Cross-field rules, shared by the wire schema and the stored one. */
export function checkEventConsistency(
  e: { phase: string; startMs: number; endMs: number | null; durationMs: number | null },
  ctx: z.RefinementCtx,
): void {
  if (e.phase === 'end' && (e.endMs === null || e.durationMs === null)) {
    ctx.addIssue({
      code: 'custom',
      path: ['endMs'],
      message: "an 'end' report needs endMs and durationMs",
    });
  }
  if (e.endMs !== null && e.endMs < e.startMs) {
    ctx.addIssue({ code: 'custom', path: ['endMs'], message: 'endMs must not precede startMs' });
  }
  // An event's duration is measured between its start and end (a split window_blur counts less).
  if (e.endMs !== null && e.durationMs !== null && e.durationMs > e.endMs - e.startMs + 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['durationMs'],
      message: 'durationMs must not exceed endMs - startMs',
    });
  }
}

export const IntegrityEventSchema = z
  .object(INTEGRITY_EVENT_FIELDS)
  .strict()
  .superRefine(checkEventConsistency);

export type IntegrityEvent = z.infer<typeof IntegrityEventSchema>;
