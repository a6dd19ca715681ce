import { EVENT_LABEL } from '../protocol/integrity-event';
import type { QuestionEvidence } from './question-turns';

/**
 * Per-question evidence in plain words for the interviewer (question-turns.ts computes it):
 * one line per question, and the gaze offsets in degrees left/right and above/below.
 */

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Where the eyes dwelt, in plain words; directions are the camera image's. */
export function describeGazeRegion(region: NonNullable<QuestionEvidence['gazeRegion']>): string {
  return `gaze ${describeOffset(region.horizontalDeg, region.verticalDeg) ?? 'off'} of the video`;
}

/** "20° right and 5° below", whole degrees, components under 3° left out; null when both are. */
export function describeOffset(horizontalDeg: number, verticalDeg: number): string | null {
  const h = Math.round(horizontalDeg);
  const v = Math.round(verticalDeg);
  const parts: string[] = [];
  if (Math.abs(h) >= 3) parts.push(`${String(Math.abs(h))}° ${h > 0 ? 'right' : 'left'}`);
  if (Math.abs(v) >= 3) parts.push(`${String(Math.abs(v))}° ${v > 0 ? 'above' : 'below'}`);
  return parts.length > 0 ? parts.join(' and ') : null;
}

/**
 * An answer that began at least twice as late as the candidate's usual and at least
 * LONG_PAUSE_EXTRA_MS later: together with reading in the same answer (the time an assistant
 * takes to produce text, then the text read out) it is stronger evidence than either alone, so
 * the description names the two together.
 */
export const LONG_PAUSE_EXTRA_MS = 1500;

function longPause(q: QuestionEvidence): boolean {
  if (q.onsetLatencyMs === null || q.baselineLatencyMs === null) return false;
  return (
    q.onsetLatencyMs >= 2 * q.baselineLatencyMs &&
    q.onsetLatencyMs >= q.baselineLatencyMs + LONG_PAUSE_EXTRA_MS
  );
}

/**
 * One line per question for the interviewer, e.g. "Q4: reading pattern for 18 s after an
 * unusually long pause, gaze 20° right of the video, answer began after 3.9 s; usual 1.2 s".
 */
export function describeQuestion(q: QuestionEvidence): string {
  const parts: string[] = [];
  if (q.readingMs > 0) {
    const after = longPause(q) ? ' after an unusually long pause' : '';
    parts.push(`reading pattern for ${String(Math.round(q.readingMs / 1000))} s${after}`);
  }
  if (q.gazeRegion !== null) parts.push(describeGazeRegion(q.gazeRegion));
  if (q.onsetLatencyMs === null) {
    parts.push('no answer heard');
  } else {
    const usual = q.baselineLatencyMs === null ? '' : `; usual ${seconds(q.baselineLatencyMs)}`;
    parts.push(`answer began after ${seconds(q.onsetLatencyMs)}${usual}`);
  }
  for (const f of q.flags) {
    parts.push(f.count > 1 ? `${EVENT_LABEL[f.kind]} ×${String(f.count)}` : EVENT_LABEL[f.kind]);
  }
  return `Q${String(q.index)}: ${parts.join(', ')}`;
}
