import { EVENT_CATEGORY, EventKindSchema } from '../../shared/protocol/integrity-event';
import type { SessionRecord } from '../../shared/record/session-record';
import { toClipSeconds, type ClipClock } from './clip-clock';
import { PRODUCT_KIND_TO_LABEL, type DetectedInterval } from './matching';

/** An integrity flag the labels have no kind for (tab hidden, virtual camera...): always unexpected. */
export interface OtherFlag {
  flagId: string;
  kind: string;
  startS: number;
  endS: number | null;
}

export interface ClipDetections {
  scored: DetectedInterval[];
  other: OtherFlag[];
}

/**
 * The record's integrity flags in clip seconds, limited to the scored span [0, durationS): the
 * fake camera loops, so anything after it would be scored against the wrong part of the clip.
 * Measurement kinds (poor_quality, identity_uncertain...) are coverage, not detections, and are
 * left out.
 *
 * Flag times are candidate epoch ms; `receivedAtMs` of the flag's first report is the server's
 * clock. Both run on this machine's one clock, so the server time maps through the same clip
 * clock without the record's estimated offset (which would only add its estimation noise).
 */
export function clipDetections(
  record: Pick<SessionRecord, 'flags' | 'events'>,
  clock: ClipClock,
  durationS: number,
): ClipDetections {
  const scored: DetectedInterval[] = [];
  const other: OtherFlag[] = [];
  for (const flag of record.flags) {
    const kind = EventKindSchema.parse(flag.kind);
    if (EVENT_CATEGORY[kind] !== 'integrity') continue;
    const startS = toClipSeconds(clock, flag.startMs);
    if (startS >= durationS) continue;
    const rawEnd = flag.endMs === null ? null : toClipSeconds(clock, flag.endMs);
    const labelKind = PRODUCT_KIND_TO_LABEL[kind];
    if (labelKind === undefined) {
      other.push({ flagId: flag.flagId, kind, startS, endS: rawEnd });
      continue;
    }
    const firstReport = record.events
      .filter((e) => e.eventId === flag.flagId)
      .reduce<number | null>(
        (min, e) => (min === null ? e.receivedAtMs : Math.min(min, e.receivedAtMs)),
        null,
      );
    scored.push({
      flagId: flag.flagId,
      productKind: kind,
      kind: labelKind,
      startS,
      endS: Math.min(rawEnd ?? durationS, durationS),
      open: rawEnd === null,
      receivedS: firstReport === null ? null : toClipSeconds(clock, firstReport),
    });
  }
  return { scored, other };
}
