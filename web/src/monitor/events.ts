import type { EventKind, IntegrityEvent } from '../../../shared/protocol/integrity-event';

/**
 * What watchers and the detector report: an IntegrityEvent before the outbox gives it its
 * stream and sequence number.
 */
export type EventReport = Omit<IntegrityEvent, 'type' | 'v' | 'stream' | 'seq'>;
export type EmitEvent = (report: EventReport) => void;
export type EventDetails = EventReport['details'];

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A random id of `length` characters from [A-Za-z0-9_-] (64 symbols, 6 bits each), matching the
 * protocol's id patterns. 16 characters = 96 bits: no collisions across a session's events.
 */
export function randomId(length = 16): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ID_ALPHABET.charAt(byte & 63);
  return id;
}

/** A momentary event (copy, paste, camera ended...). */
export function emitInstant(
  emit: EmitEvent,
  kind: EventKind,
  details: EventDetails = {},
  atMs: number = Date.now(),
): void {
  emit({
    eventId: randomId(),
    kind,
    phase: 'instant',
    startMs: atMs,
    endMs: null,
    durationMs: null,
    details,
  });
}

/**
 * A condition with a start and an end (tab hidden, camera muted, connection lost) that may have
 * several causes at once: it starts when the first cause appears and ends when the last one
 * clears, so two overlapping causes are one event, not two.
 */
export interface DurableSignal {
  /** Sets one cause on or off; `details` are sent with the start report. */
  set(reason: string, active: boolean, details?: EventDetails): void;
  /** Ends the event if open (stop, cleanup), whatever its causes. */
  close(details?: EventDetails): void;
  isOpen(): boolean;
}

export function createDurableSignal(
  kind: EventKind,
  emit: EmitEvent,
  nowMs: () => number = Date.now,
): DurableSignal {
  const reasons = new Set<string>();
  let open: { eventId: string; startMs: number; details: EventDetails } | null = null;

  function end(extra: EventDetails): void {
    if (open === null) return;
    const endMs = Math.max(open.startMs, nowMs());
    emit({
      eventId: open.eventId,
      kind,
      phase: 'end',
      startMs: open.startMs,
      endMs,
      durationMs: endMs - open.startMs,
      details: { ...open.details, ...extra },
    });
    open = null;
  }

  return {
    set(reason, active, details = {}) {
      if (active) reasons.add(reason);
      else reasons.delete(reason);
      if (reasons.size > 0 && open === null) {
        open = { eventId: randomId(), startMs: nowMs(), details: { reason, ...details } };
        emit({
          eventId: open.eventId,
          kind,
          phase: 'start',
          startMs: open.startMs,
          endMs: null,
          durationMs: null,
          details: open.details,
        });
      } else if (reasons.size === 0 && open !== null) {
        end({});
      }
    },
    close(details = {}) {
      reasons.clear();
      end(details);
    },
    isOpen: () => open !== null,
  };
}
