import {
  ConnectionQuality,
  RoomEvent,
  Track,
  TrackEvent,
  type LocalTrackPublication,
  type Participant,
  type Room,
  type TrackPublication,
} from 'livekit-client';
import { createDurableSignal, emitInstant, type EmitEvent } from './events';
import { monitorLog } from './monitor-log';
import { virtualCameraMatch } from './virtual-camera';

/**
 * Watchers for what the page itself can observe. Each is `watchX(emit, ...)` and returns its
 * cleanup; the cleanup ends any event it left open, so a stopped monitor leaves no flag dangling.
 *
 * Privacy rule: details are counts, flags and short labels, never content. Clipboard watchers
 * report the length of the text, never the text; device watchers report counts, never names.
 */

type Cleanup = () => void;

function listen(
  target: EventTarget,
  type: string,
  listener: (event: Event) => void,
  options?: AddEventListenerOptions,
): Cleanup {
  target.addEventListener(type, listener, options);
  return () => target.removeEventListener(type, listener, options);
}

/** The tab hidden (another tab, minimised window): page_hidden from start to end. */
export function watchPageVisibility(emit: EmitEvent): Cleanup {
  const signal = createDurableSignal('page_hidden', emit);
  const update = (): void => signal.set('hidden', document.visibilityState === 'hidden');
  update();
  const stop = listen(document, 'visibilitychange', update);
  return () => {
    stop();
    signal.close();
  };
}

/**
 * Another window has the focus while the interview stays visible (a window on top, a second
 * screen, devtools): window_blur. A hidden tab also blurs the window; that blur is recorded with
 * `whileHidden: true` and costs nothing in the score, since page_hidden already counts it.
 * Re-checked shortly after each blur because browsers fire `blur` and `visibilitychange` in
 * either order.
 */
export function watchWindowFocus(emit: EmitEvent): Cleanup {
  const signal = createDurableSignal('window_blur', emit);
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** whileHidden of the open event, or null when none is open. */
  let openWhileHidden: boolean | null = null;
  const update = (): void => {
    const unfocused = !document.hasFocus();
    const hidden = document.visibilityState !== 'visible';
    // Recorded either way, so the interviewer sees focus loss; whileHidden tells the scoring
    // engine that page_hidden already counts this time. A focus loss that crosses into or out
    // of a hidden tab is split there, so its visible part counts once and its hidden part not.
    if (unfocused && openWhileHidden !== null && openWhileHidden !== hidden) {
      signal.close();
      openWhileHidden = null;
    }
    signal.set('unfocused', unfocused, { whileHidden: hidden });
    openWhileHidden = unfocused ? (openWhileHidden ?? hidden) : null;
  };
  const updateSoon = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      update();
    }, 100);
  };
  update();
  const stops = [
    listen(window, 'blur', updateSoon),
    listen(window, 'focus', update),
    // Re-checked shortly after, not at once: on a return to the tab, visibility and focus come
    // back a few milliseconds apart, which must not split off a tiny visible-and-unfocused flag.
    listen(document, 'visibilitychange', updateSoon),
  ];
  return () => {
    stops.forEach((stop) => stop());
    if (timer !== null) clearTimeout(timer);
    signal.close();
  };
}

/**
 * The interview asked for fullscreen and the document is not in it: fullscreen_exit, from the
 * moment it left (or from the start, if fullscreen was refused) until it is back.
 */
export function watchFullscreen(emit: EmitEvent): Cleanup {
  const signal = createDurableSignal('fullscreen_exit', emit);
  const initial = document.fullscreenElement === null;
  signal.set('not_fullscreen', initial, initial ? { atStart: true } : {});
  const stop = listen(document, 'fullscreenchange', () => {
    signal.set('not_fullscreen', document.fullscreenElement === null);
  });
  return () => {
    stop();
    signal.close();
  };
}

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/** Length of the selection being copied or cut; the text itself is never kept. */
function selectedTextLength(target: EventTarget | null): number {
  if (isTextField(target)) {
    const start = target.selectionStart ?? 0;
    const end = target.selectionEnd ?? 0;
    return Math.max(0, end - start);
  }
  return document.getSelection()?.toString().length ?? 0;
}

/** Copy, cut, paste and the context menu: instants with a text length, never the text. */
export function watchClipboard(emit: EmitEvent): Cleanup {
  const editable = (target: EventTarget | null): boolean =>
    isTextField(target) || (target instanceof HTMLElement && target.isContentEditable);
  const stops = [
    listen(document, 'copy', (event) => {
      emitInstant(emit, 'copy', {
        textLength: selectedTextLength(event.target),
        inField: editable(event.target),
      });
    }),
    listen(document, 'cut', (event) => {
      emitInstant(emit, 'cut', {
        textLength: selectedTextLength(event.target),
        inField: editable(event.target),
      });
    }),
    listen(document, 'paste', (event) => {
      const data = (event as ClipboardEvent).clipboardData;
      emitInstant(emit, 'paste', {
        textLength: data?.getData('text/plain').length ?? 0,
        files: data?.files.length ?? 0,
        inField: editable(event.target),
      });
    }),
    listen(document, 'contextmenu', (event) => {
      emitInstant(emit, 'context_menu', { inField: editable(event.target) });
    }),
  ];
  return () => stops.forEach((stop) => stop());
}

/**
 * One camera MediaStreamTrack: `ended` (unplugged, revoked, taken by another app) is
 * camera_ended; `mute` (the source stopped delivering, e.g. an OS privacy switch) opens
 * camera_muted until `unmute`. A track stopped by the page itself fires neither.
 */
export function watchCameraTrack(emit: EmitEvent, track: MediaStreamTrack): Cleanup {
  const muted = createDurableSignal('camera_muted', emit);
  if (track.readyState === 'ended') emitInstant(emit, 'camera_ended', { atStart: true });
  muted.set('source_muted', track.muted);
  const stops = [
    listen(track, 'ended', () => {
      muted.close();
      emitInstant(emit, 'camera_ended', { label: shortLabel(track.label) });
    }),
    listen(track, 'mute', () => muted.set('source_muted', true)),
    listen(track, 'unmute', () => muted.set('source_muted', false)),
  ];
  return () => {
    stops.forEach((stop) => stop());
    muted.close();
  };
}

/** Microphone track muted at the source (OS switch): microphone_muted while it lasts. */
export function watchMicrophoneTrack(emit: EmitEvent, track: MediaStreamTrack): Cleanup {
  const muted = createDurableSignal('microphone_muted', emit);
  muted.set('source_muted', track.muted);
  const stops = [
    listen(track, 'mute', () => muted.set('source_muted', true)),
    listen(track, 'unmute', () => muted.set('source_muted', false)),
  ];
  return () => {
    stops.forEach((stop) => stop());
    muted.close();
  };
}

function shortLabel(label: string): string {
  return label.slice(0, 60);
}

/**
 * Camera or microphone turned off in the call (LiveKit mutes the local publication):
 * camera_muted / microphone_muted while muted.
 */
export function watchLocalMute(emit: EmitEvent, room: Room): Cleanup {
  const camera = createDurableSignal('camera_muted', emit);
  const microphone = createDurableSignal('microphone_muted', emit);
  const apply = (publication: TrackPublication, muted: boolean): void => {
    if (publication.source === Track.Source.Camera) camera.set('turned_off', muted);
    if (publication.source === Track.Source.Microphone) microphone.set('turned_off', muted);
  };
  for (const publication of room.localParticipant.trackPublications.values()) {
    apply(publication, publication.isMuted);
  }
  const onMuted = (publication: TrackPublication, participant: Participant): void => {
    if (participant === room.localParticipant) apply(publication, true);
  };
  const onUnmuted = (publication: TrackPublication, participant: Participant): void => {
    if (participant === room.localParticipant) apply(publication, false);
  };
  room.on(RoomEvent.TrackMuted, onMuted).on(RoomEvent.TrackUnmuted, onUnmuted);
  return () => {
    room.off(RoomEvent.TrackMuted, onMuted).off(RoomEvent.TrackUnmuted, onUnmuted);
    camera.close();
    microphone.close();
  };
}

/**
 * Calls `bind` with the MediaStreamTrack of the local publication of `source` and again whenever
 * LiveKit replaces it (publish, unpublish, restart after an unmute), cleaning up the previous
 * binding. Falls back to `fallback` while nothing is published.
 */
export function followLocalTrack(
  room: Room,
  source: Track.Source,
  fallback: MediaStreamTrack | null,
  bind: (track: MediaStreamTrack) => Cleanup,
): Cleanup {
  let bound: { track: MediaStreamTrack; cleanup: Cleanup } | null = null;
  let publication: LocalTrackPublication | undefined;
  const rebind = (): void => {
    const current = currentLocalTrack(room, source) ?? fallback;
    if (bound?.track === current) return;
    bound?.cleanup();
    bound = current === null ? null : { track: current, cleanup: bind(current) };
  };
  const onRestarted = (): void => rebind();
  const follow = (): void => {
    const next = room.localParticipant.getTrackPublication(source);
    if (next !== publication) {
      publication?.track?.off(TrackEvent.Restarted, onRestarted);
      publication = next;
      publication?.track?.on(TrackEvent.Restarted, onRestarted);
    }
    rebind();
  };
  follow();
  room
    .on(RoomEvent.LocalTrackPublished, follow)
    .on(RoomEvent.LocalTrackUnpublished, follow)
    .on(RoomEvent.TrackUnmuted, follow);
  return () => {
    room
      .off(RoomEvent.LocalTrackPublished, follow)
      .off(RoomEvent.LocalTrackUnpublished, follow)
      .off(RoomEvent.TrackUnmuted, follow);
    publication?.track?.off(TrackEvent.Restarted, onRestarted);
    bound?.cleanup();
    bound = null;
  };
}

/** The local MediaStreamTrack LiveKit publishes for `source` now, if any. */
export function currentLocalTrack(room: Room, source: Track.Source): MediaStreamTrack | null {
  return room.localParticipant.getTrackPublication(source)?.track?.mediaStreamTrack ?? null;
}

interface DeviceCounts {
  videoInputs: number;
  audioInputs: number;
  audioOutputs: number;
}

async function countDevices(): Promise<DeviceCounts> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return {
    videoInputs: devices.filter((d) => d.kind === 'videoinput').length,
    audioInputs: devices.filter((d) => d.kind === 'audioinput').length,
    audioOutputs: devices.filter((d) => d.kind === 'audiooutput').length,
  };
}

/** Browsers fire several devicechange events for one plug-in; one report after they settle. */
const DEVICE_SETTLE_MS = 500;

/** A camera, microphone or speaker plugged in or out: device_changed with the counts. */
export function watchDevices(emit: EmitEvent): Cleanup {
  const mediaDevices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
  if (mediaDevices === undefined || typeof mediaDevices.enumerateDevices !== 'function') {
    return () => undefined;
  }
  let stopped = false;
  let previous: DeviceCounts | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  void countDevices()
    .then((counts) => {
      previous ??= counts;
    })
    .catch(() => undefined);
  const check = async (): Promise<void> => {
    const counts = await countDevices();
    if (stopped) return;
    const before = previous;
    previous = counts;
    // Labels also change (permission granted) without any device coming or going: ignore those.
    if (
      before !== null &&
      before.videoInputs === counts.videoInputs &&
      before.audioInputs === counts.audioInputs &&
      before.audioOutputs === counts.audioOutputs
    ) {
      return;
    }
    emitInstant(emit, 'device_changed', {
      ...counts,
      videoInputsBefore: before?.videoInputs ?? -1,
      audioInputsBefore: before?.audioInputs ?? -1,
    });
  };
  const stop = listen(mediaDevices, 'devicechange', () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      check().catch((error: unknown) => monitorLog.debug('device count failed', { error }));
    }, DEVICE_SETTLE_MS);
  });
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    stop();
  };
}

export { VIRTUAL_CAMERA_PATTERN } from './virtual-camera';

/** virtual_camera once per camera label that matches VIRTUAL_CAMERA_PATTERN. */
export function watchVirtualCamera(emit: EmitEvent, track: MediaStreamTrack): Cleanup {
  const matched = virtualCameraMatch(track.label);
  if (matched !== null) emitInstant(emit, 'virtual_camera', { matched });
  return () => undefined;
}

/** `screen.isExtended` and its `change` event (Window Management API; Chromium only). */
interface ExtendedScreen extends EventTarget {
  isExtended?: boolean;
}

/** More than one display attached: multiple_displays while it lasts. */
export function watchDisplays(emit: EmitEvent): Cleanup {
  if (typeof screen === 'undefined') return () => undefined;
  const target = screen as unknown as ExtendedScreen;
  if (typeof target.isExtended !== 'boolean') return () => undefined;
  const signal = createDurableSignal('multiple_displays', emit);
  const update = (): void => signal.set('extended', target.isExtended === true);
  update();
  const stop = listen(target, 'change', update);
  return () => {
    stop();
    signal.close();
  };
}

/**
 * The candidate's connection to LiveKit down or unusable: connection_lost while reconnecting,
 * while LiveKit rates the local connection `lost`, or after a disconnect. A MEASUREMENT event:
 * a bad network is never suspicion, it only explains missing data.
 */
export function watchConnection(emit: EmitEvent, room: Room): Cleanup {
  const signal = createDurableSignal('connection_lost', emit);
  const onReconnecting = (): void => signal.set('reconnecting', true);
  const onReconnected = (): void => {
    signal.set('reconnecting', false);
    signal.set('disconnected', false);
  };
  const onDisconnected = (): void => signal.set('disconnected', true);
  const onQuality = (quality: ConnectionQuality, participant: Participant): void => {
    if (participant !== room.localParticipant) return;
    signal.set('quality_lost', quality === ConnectionQuality.Lost);
  };
  room
    .on(RoomEvent.Reconnecting, onReconnecting)
    .on(RoomEvent.Reconnected, onReconnected)
    .on(RoomEvent.Disconnected, onDisconnected)
    .on(RoomEvent.ConnectionQualityChanged, onQuality);
  return () => {
    room
      .off(RoomEvent.Reconnecting, onReconnecting)
      .off(RoomEvent.Reconnected, onReconnected)
      .off(RoomEvent.Disconnected, onDisconnected)
      .off(RoomEvent.ConnectionQualityChanged, onQuality);
    signal.close();
  };
}

/** On-device analysis unavailable (model did not load, worker crashed): until the monitor stops. */
export function reportAnalysisFailed(emit: EmitEvent, reason: string, message: string): Cleanup {
  const signal = createDurableSignal('analysis_failed', emit);
  signal.set(reason, true, { message: message.slice(0, 120) });
  return () => signal.close();
}

/** No camera to analyse (getUserMedia refused or failed before joining): camera_failed. */
export function reportCameraFailed(emit: EmitEvent, reason: string): void {
  emitInstant(emit, 'camera_failed', { reason: reason.slice(0, 120) });
}
