import { CONDITION_KINDS } from '../../../shared/detection/condition-detector';
import { liveNoticeFor, type MeasurementIssue } from '../../../shared/detection/candidate-notice';
import {
  EVENT_CATEGORY,
  EventKindSchema,
  type EventKind,
} from '../../../shared/protocol/integrity-event';
import type { EventReport } from './events';

/**
 * What the candidate is told, in plain words, while something is being recorded, so nothing is
 * noted behind their back and most conditions can be fixed at once.
 *
 * - An open event (tab hidden, camera off, looking away...) shows its notice while it lasts.
 * - When a page signal ends (tab visible again, focus back), its notice stays `holdMs` longer
 *   with "this was recorded": the candidate could not see the page while it was hidden.
 *   Tracking conditions (no face, looking away...) just disappear once fixed.
 * - Instants (copy, paste, camera stopped) show for `holdMs`.
 * One notice per kind (the page keys them by kind), in the protocol's order of kinds.
 */
export interface CandidateNotice {
  kind: EventKind;
  message: string;
}

export const DEFAULT_NOTICE_HOLD_MS = 6000;
const RECORDED_SUFFIX = ' — this was recorded';

const TRACKING_KINDS: ReadonlySet<EventKind> = new Set(CONDITION_KINDS);
const KIND_ORDER: readonly EventKind[] = EventKindSchema.options;

const MEASUREMENT_ISSUES: ReadonlySet<string> = new Set([
  'none',
  'dark',
  'glare',
  'blur',
  'covered',
  'no_frames',
  'analysis_gap',
]);

export interface NoticeBoard {
  observe(report: EventReport, nowMs: number): void;
  current(nowMs: number): CandidateNotice[];
}

export function createNoticeBoard(holdMs: number = DEFAULT_NOTICE_HOLD_MS): NoticeBoard {
  const open = new Map<string, { kind: EventKind; message: string }>();
  const recent = new Map<EventKind, { message: string; untilMs: number }>();

  function messageFor(report: EventReport): string | null {
    const issue = report.details.issue;
    if (
      report.kind === 'poor_quality' &&
      typeof issue === 'string' &&
      MEASUREMENT_ISSUES.has(issue)
    ) {
      return liveNoticeFor(report.kind, issue as MeasurementIssue);
    }
    return liveNoticeFor(report.kind);
  }

  return {
    observe(report, nowMs) {
      const message = messageFor(report);
      switch (report.phase) {
        case 'start':
          if (message !== null) open.set(report.eventId, { kind: report.kind, message });
          return;
        case 'end': {
          open.delete(report.eventId);
          if (message === null || TRACKING_KINDS.has(report.kind)) return;
          const suffix = EVENT_CATEGORY[report.kind] === 'integrity' ? RECORDED_SUFFIX : '';
          recent.set(report.kind, { message: message + suffix, untilMs: nowMs + holdMs });
          return;
        }
        case 'instant':
          if (message !== null) recent.set(report.kind, { message, untilMs: nowMs + holdMs });
          return;
      }
    },

    current(nowMs) {
      const byKind = new Map<EventKind, string>();
      for (const entry of open.values()) byKind.set(entry.kind, entry.message);
      for (const [kind, entry] of recent) {
        if (entry.untilMs <= nowMs) recent.delete(kind);
        else if (!byKind.has(kind)) byKind.set(kind, entry.message);
      }
      return KIND_ORDER.flatMap((kind) => {
        const message = byKind.get(kind);
        return message === undefined ? [] : [{ kind, message }];
      });
    },
  };
}

/** Whether two notice lists say the same thing (to skip re-rendering on every tick). */
export function sameNotices(a: readonly CandidateNotice[], b: readonly CandidateNotice[]): boolean {
  return (
    a.length === b.length && a.every((n, i) => n.kind === b[i]?.kind && n.message === b[i].message)
  );
}
