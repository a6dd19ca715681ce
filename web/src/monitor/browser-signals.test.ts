import { EventEmitter } from 'node:events';
import { ConnectionQuality, RoomEvent, Track, TrackEvent, type Room } from 'livekit-client';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
  VIRTUAL_CAMERA_PATTERN,
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
import type { EventReport } from './events';
import { monitorLog } from './monitor-log';

// ── Fakes: just enough of the browser for the watchers, no DOM ─────────────────────────────────

/** An EventTarget that remembers its listeners, so a test can check a cleanup removed them all. */
class CountingTarget extends EventTarget {
  private readonly listeners = new Map<string, Set<EventListenerOrEventListenerObject>>();

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    if (listener !== null) {
      const set = this.listeners.get(type) ?? new Set();
      set.add(listener);
      this.listeners.set(type, set);
    }
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    if (listener !== null) this.listeners.get(type)?.delete(listener);
    super.removeEventListener(type, listener, options);
  }

  listenerCount(type?: string): number {
    if (type !== undefined) return this.listeners.get(type)?.size ?? 0;
    let total = 0;
    for (const set of this.listeners.values()) total += set.size;
    return total;
  }
}

class FakeDocument extends CountingTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  focused = true;
  fullscreenElement: object | null = null;
  selectedText = '';

  hasFocus(): boolean {
    return this.focused;
  }

  getSelection(): { toString(): string } {
    return { toString: () => this.selectedText };
  }
}

class FakeWindow extends CountingTarget {}

class FakeScreen extends CountingTarget {
  isExtended?: boolean;
}

class FakeMediaDevices extends CountingTarget {
  enumerateDevices: () => Promise<{ kind: MediaDeviceKind }[]> = () => Promise.resolve([]);
}

class FakeTrack extends CountingTarget {
  readyState: MediaStreamTrackState = 'live';
  muted = false;

  constructor(
    readonly kind: 'video' | 'audio' = 'video',
    readonly label = 'FaceTime HD Camera',
  ) {
    super();
  }
}

/** Stand-ins for the element classes `instanceof` checks in the clipboard watcher. */
class FakeHTMLElement {
  isContentEditable = false;
}
class FakeInput extends FakeHTMLElement {
  constructor(
    public selectionStart: number | null = null,
    public selectionEnd: number | null = null,
  ) {
    super();
  }
}
class FakeTextArea extends FakeInput {}

let doc: FakeDocument;
let win: FakeWindow;
let reports: EventReport[];
const emit = (report: EventReport): void => {
  reports.push(report);
};

const T0 = 1_700_000_000_000;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
  reports = [];
  doc = new FakeDocument();
  win = new FakeWindow();
  vi.stubGlobal('document', doc);
  vi.stubGlobal('window', win);
  vi.stubGlobal('HTMLElement', FakeHTMLElement);
  vi.stubGlobal('HTMLInputElement', FakeInput);
  vi.stubGlobal('HTMLTextAreaElement', FakeTextArea);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Fires `type` on `target`, optionally pretending it came from `from` (Node has no bubbling). */
function fire(
  target: EventTarget,
  type: string,
  extra: { from?: unknown; clipboardData?: unknown } = {},
): void {
  const event = new Event(type);
  if ('from' in extra) Object.defineProperty(event, 'target', { value: extra.from });
  if ('clipboardData' in extra)
    Object.defineProperty(event, 'clipboardData', { value: extra.clipboardData });
  target.dispatchEvent(event);
}

function setVisibility(state: DocumentVisibilityState): void {
  doc.visibilityState = state;
  fire(doc, 'visibilitychange');
}

const asTrack = (track: FakeTrack): MediaStreamTrack => track as unknown as MediaStreamTrack;

/** [kind, phase] of every report so far, the usual thing to compare. */
const phases = (): [string, string][] => reports.map((r) => [r.kind, r.phase]);

/** Checks a start/end pair: same id, end after start by `durationMs`. */
function expectPair(
  start: EventReport | undefined,
  end: EventReport | undefined,
  durationMs: number,
): void {
  expect(start?.phase).toBe('start');
  expect(end?.phase).toBe('end');
  expect(end?.eventId).toBe(start?.eventId);
  expect(end?.startMs).toBe(start?.startMs);
  expect(end?.durationMs).toBe(durationMs);
  expect(end?.endMs).toBe((start?.startMs ?? 0) + durationMs);
}

// ── Page visibility ────────────────────────────────────────────────────────────────────────────

describe('watchPageVisibility', () => {
  test('reports nothing while the page stays visible', () => {
    const stop = watchPageVisibility(emit);
    fire(doc, 'visibilitychange');
    stop();
    expect(reports).toEqual([]);
  });

  test('opens page_hidden when the tab is hidden and ends it with the hidden duration', () => {
    watchPageVisibility(emit);
    setVisibility('hidden');
    vi.advanceTimersByTime(2500);
    setVisibility('visible');
    expect(phases()).toEqual([
      ['page_hidden', 'start'],
      ['page_hidden', 'end'],
    ]);
    expect(reports[0]).toMatchObject({
      startMs: T0,
      endMs: null,
      durationMs: null,
      details: { reason: 'hidden' },
    });
    expectPair(reports[0], reports[1], 2500);
  });

  test('opens page_hidden at once when the page is already hidden at start', () => {
    doc.visibilityState = 'hidden';
    watchPageVisibility(emit);
    expect(phases()).toEqual([['page_hidden', 'start']]);
  });

  test('repeated hidden notifications stay one event', () => {
    watchPageVisibility(emit);
    setVisibility('hidden');
    setVisibility('hidden');
    expect(phases()).toEqual([['page_hidden', 'start']]);
  });

  test('each hide is its own event with its own id', () => {
    watchPageVisibility(emit);
    setVisibility('hidden');
    setVisibility('visible');
    setVisibility('hidden');
    setVisibility('visible');
    expect(reports).toHaveLength(4);
    expect(reports[0]?.eventId).not.toBe(reports[2]?.eventId);
  });

  test('cleanup ends an open page_hidden and stops listening', () => {
    const stop = watchPageVisibility(emit);
    setVisibility('hidden');
    vi.advanceTimersByTime(700);
    stop();
    expectPair(reports[0], reports[1], 700);
    expect(doc.listenerCount()).toBe(0);
    setVisibility('visible');
    setVisibility('hidden');
    expect(reports).toHaveLength(2);
  });
});

// ── Window focus ───────────────────────────────────────────────────────────────────────────────

describe('watchWindowFocus', () => {
  test('reports nothing while the window keeps the focus', () => {
    watchWindowFocus(emit);
    fire(win, 'blur');
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([]);
  });

  test('re-checks 100 ms after a blur, then opens window_blur while visible', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    fire(win, 'blur');
    vi.advanceTimersByTime(99);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(phases()).toEqual([['window_blur', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'unfocused', whileHidden: false });
    expect(reports[0]?.startMs).toBe(T0 + 100);
  });

  test('reads the focus at the re-check, not at the blur', () => {
    watchWindowFocus(emit);
    fire(win, 'blur'); // hasFocus() still true when blur fires
    vi.advanceTimersByTime(50);
    doc.focused = false;
    vi.advanceTimersByTime(50);
    expect(phases()).toEqual([['window_blur', 'start']]);
  });

  test('a blur whose focus came back within 100 ms reports nothing', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    fire(win, 'blur');
    vi.advanceTimersByTime(40);
    doc.focused = true;
    fire(win, 'focus');
    vi.advanceTimersByTime(500);
    expect(reports).toEqual([]);
  });

  test('several blurs restart the 100 ms wait', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    fire(win, 'blur');
    vi.advanceTimersByTime(60);
    fire(win, 'blur');
    vi.advanceTimersByTime(60);
    expect(reports).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(phases()).toEqual([['window_blur', 'start']]);
  });

  test('focus ends window_blur at once, with the unfocused duration', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    fire(win, 'blur');
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(3000);
    doc.focused = true;
    fire(win, 'focus');
    expectPair(reports[0], reports[1], 3000);
    expect(reports[1]?.details).toEqual({ reason: 'unfocused', whileHidden: false });
  });

  test.each([
    { state: 'visible', whileHidden: false },
    { state: 'hidden', whileHidden: true },
    // Anything but 'visible' counts as hidden (older browsers had 'prerender').
    { state: 'prerender', whileHidden: true },
  ])(
    'an unfocused window at start opens window_blur with whileHidden $whileHidden when $state',
    ({ state, whileHidden }) => {
      doc.visibilityState = state as DocumentVisibilityState;
      doc.focused = false;
      watchWindowFocus(emit);
      expect(phases()).toEqual([['window_blur', 'start']]);
      expect(reports[0]?.details).toEqual({ reason: 'unfocused', whileHidden });
    },
  );

  test.each([
    {
      order: 'blur, then visibilitychange',
      steps: (): void => {
        doc.focused = false;
        fire(win, 'blur');
        setVisibility('hidden');
      },
      startsAfterMs: 100,
    },
    {
      order: 'visibilitychange (focus not yet lost), then blur',
      steps: (): void => {
        setVisibility('hidden');
        doc.focused = false;
        fire(win, 'blur');
      },
      startsAfterMs: 100,
    },
    {
      order: 'visibilitychange with focus already lost, then blur',
      steps: (): void => {
        doc.focused = false;
        setVisibility('hidden');
        fire(win, 'blur');
      },
      startsAfterMs: 100,
    },
  ])('a tab switch ($order) is one window_blur marked whileHidden', ({ steps, startsAfterMs }) => {
    watchWindowFocus(emit);
    steps();
    vi.advanceTimersByTime(startsAfterMs);
    expect(phases()).toEqual([['window_blur', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'unfocused', whileHidden: true });
    vi.advanceTimersByTime(1000);
    expect(reports).toHaveLength(1);
  });

  test('returning to the tab ends the whileHidden blur once the focus is back', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    setVisibility('hidden');
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(5000);
    setVisibility('visible'); // focus back a few ms later: no visible-and-unfocused flag
    vi.advanceTimersByTime(30);
    expect(reports).toHaveLength(1);
    doc.focused = true;
    fire(win, 'focus');
    vi.advanceTimersByTime(1000);
    expect(reports).toHaveLength(2);
    expectPair(reports[0], reports[1], 5030);
    expect(reports[1]?.details).toMatchObject({ whileHidden: true });
  });

  test('a focus loss that crosses into a hidden tab is split there: its visible part counts', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    fire(win, 'blur');
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(2000);
    setVisibility('hidden');
    vi.advanceTimersByTime(100);
    expect(phases()).toEqual([
      ['window_blur', 'start'],
      ['window_blur', 'end'],
      ['window_blur', 'start'],
    ]);
    expect(reports[0]?.details).toMatchObject({ whileHidden: false });
    expectPair(reports[0], reports[1], 2100);
    expect(reports[2]?.details).toMatchObject({ whileHidden: true });
  });

  test('back on a visible tab without the focus, the rest of the focus loss counts again', () => {
    watchWindowFocus(emit);
    doc.focused = false;
    setVisibility('hidden');
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(3000);
    setVisibility('visible'); // another window keeps the focus
    vi.advanceTimersByTime(100);
    expect(phases()).toEqual([
      ['window_blur', 'start'],
      ['window_blur', 'end'],
      ['window_blur', 'start'],
    ]);
    expect(reports[2]?.details).toMatchObject({ whileHidden: false });
  });

  test('cleanup cancels a pending re-check', () => {
    const stop = watchWindowFocus(emit);
    doc.focused = false;
    fire(win, 'blur');
    stop();
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('cleanup ends an open window_blur and removes every listener', () => {
    doc.focused = false;
    const stop = watchWindowFocus(emit);
    vi.advanceTimersByTime(250);
    stop();
    expectPair(reports[0], reports[1], 250);
    expect(win.listenerCount()).toBe(0);
    expect(doc.listenerCount()).toBe(0);
    fire(win, 'blur');
    fire(win, 'focus');
    setVisibility('hidden');
    vi.advanceTimersByTime(1000);
    expect(reports).toHaveLength(2);
  });
});

// ── Fullscreen ─────────────────────────────────────────────────────────────────────────────────

describe('watchFullscreen', () => {
  test('not fullscreen at start: fullscreen_exit from the start until fullscreen is entered', () => {
    watchFullscreen(emit);
    expect(phases()).toEqual([['fullscreen_exit', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'not_fullscreen', atStart: true });
    vi.advanceTimersByTime(1200);
    doc.fullscreenElement = {};
    fire(doc, 'fullscreenchange');
    expectPair(reports[0], reports[1], 1200);
  });

  test('fullscreen at start: nothing until it is left, then open until it is back', () => {
    doc.fullscreenElement = {};
    watchFullscreen(emit);
    expect(reports).toEqual([]);
    doc.fullscreenElement = null;
    fire(doc, 'fullscreenchange');
    expect(phases()).toEqual([['fullscreen_exit', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'not_fullscreen' });
    vi.advanceTimersByTime(800);
    doc.fullscreenElement = {};
    fire(doc, 'fullscreenchange');
    expectPair(reports[0], reports[1], 800);
  });

  test('a fullscreenchange that stays out of fullscreen keeps one event', () => {
    watchFullscreen(emit);
    fire(doc, 'fullscreenchange');
    expect(reports).toHaveLength(1);
  });

  test('cleanup ends an open fullscreen_exit and stops listening', () => {
    const stop = watchFullscreen(emit);
    vi.advanceTimersByTime(300);
    stop();
    expectPair(reports[0], reports[1], 300);
    expect(doc.listenerCount()).toBe(0);
    doc.fullscreenElement = {};
    fire(doc, 'fullscreenchange');
    doc.fullscreenElement = null;
    fire(doc, 'fullscreenchange');
    expect(reports).toHaveLength(2);
  });
});

// ── Clipboard and context menu ─────────────────────────────────────────────────────────────────

describe('watchClipboard', () => {
  const SECRET = 'const answer = secretSolution();';

  const contentEditable = (): FakeHTMLElement =>
    Object.assign(new FakeHTMLElement(), { isContentEditable: true });

  test.each(
    (['copy', 'cut'] as const).flatMap((type) =>
      [
        {
          where: 'page text',
          from: () => new FakeHTMLElement(),
          selection: SECRET,
          textLength: SECRET.length,
          inField: false,
        },
        {
          where: 'an input',
          from: () => new FakeInput(3, 10),
          selection: SECRET,
          textLength: 7,
          inField: true,
        },
        {
          where: 'a textarea',
          from: () => new FakeTextArea(0, 42),
          selection: '',
          textLength: 42,
          inField: true,
        },
        {
          where: 'a number input (null selection)',
          from: () => new FakeInput(null, null),
          selection: 'x',
          textLength: 0,
          inField: true,
        },
        {
          where: 'a contenteditable',
          from: contentEditable,
          selection: 'hello',
          textLength: 5,
          inField: true,
        },
        {
          where: 'nothing selected',
          from: () => new FakeHTMLElement(),
          selection: '',
          textLength: 0,
          inField: false,
        },
      ].map((row) => ({ type, ...row })),
    ),
  )(
    '$type from $where: instant with textLength $textLength, inField $inField',
    ({ type, from, selection, textLength, inField }) => {
      watchClipboard(emit);
      doc.selectedText = selection;
      fire(doc, type, { from: from() });
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({
        kind: type,
        phase: 'instant',
        startMs: T0,
        endMs: null,
        durationMs: null,
        details: { textLength, inField },
      });
    },
  );

  test.each([
    {
      what: 'text into a field',
      text: SECRET,
      files: 0,
      from: () => new FakeInput(0, 0),
      inField: true,
    },
    {
      what: 'text onto the page',
      text: 'abc',
      files: 0,
      from: () => new FakeHTMLElement(),
      inField: false,
    },
    { what: 'two files', text: '', files: 2, from: contentEditable, inField: true },
  ])('paste of $what reports its length and file count', ({ text, files, from, inField }) => {
    watchClipboard(emit);
    const clipboardData = {
      getData: (format: string) => (format === 'text/plain' ? text : '<b>html</b>'),
      files: { length: files },
    };
    fire(doc, 'paste', { from: from(), clipboardData });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      kind: 'paste',
      phase: 'instant',
      details: { textLength: text.length, files, inField },
    });
  });

  test('paste without clipboard data reports zero lengths', () => {
    watchClipboard(emit);
    fire(doc, 'paste', { from: new FakeHTMLElement(), clipboardData: null });
    expect(reports[0]?.details).toEqual({ textLength: 0, files: 0, inField: false });
  });

  test.each([
    { where: 'a field', from: () => new FakeTextArea(0, 0), inField: true },
    { where: 'the page', from: () => new FakeHTMLElement(), inField: false },
  ])(
    'context menu on $where is an instant context_menu with inField $inField only',
    ({ from, inField }) => {
      watchClipboard(emit);
      fire(doc, 'contextmenu', { from: from() });
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ kind: 'context_menu', phase: 'instant' });
      expect(reports[0]?.details).toEqual({ inField });
    },
  );

  test('never reports the text itself, only lengths', () => {
    watchClipboard(emit);
    doc.selectedText = SECRET;
    fire(doc, 'copy', { from: new FakeHTMLElement() });
    fire(doc, 'cut', { from: new FakeHTMLElement() });
    fire(doc, 'paste', {
      from: new FakeInput(0, 0),
      clipboardData: { getData: () => SECRET, files: { length: 0 } },
    });
    fire(doc, 'contextmenu', { from: new FakeHTMLElement() });
    expect(reports).toHaveLength(4);
    const serialised = JSON.stringify(reports);
    expect(serialised).not.toContain(SECRET);
    expect(serialised).not.toContain('secretSolution');
    for (const report of reports) {
      for (const value of Object.values(report.details)) expect(typeof value).not.toBe('string');
    }
  });

  test('every instant has its own id', () => {
    watchClipboard(emit);
    for (let i = 0; i < 5; i += 1) fire(doc, 'copy', { from: new FakeHTMLElement() });
    expect(new Set(reports.map((r) => r.eventId)).size).toBe(5);
  });

  test('cleanup removes all four listeners', () => {
    const stop = watchClipboard(emit);
    expect(doc.listenerCount()).toBe(4);
    stop();
    expect(doc.listenerCount()).toBe(0);
    for (const type of ['copy', 'cut', 'paste', 'contextmenu'])
      fire(doc, type, { from: new FakeHTMLElement() });
    expect(reports).toEqual([]);
  });
});

// ── Camera and microphone tracks ───────────────────────────────────────────────────────────────

describe('watchCameraTrack', () => {
  test('a live, unmuted camera reports nothing', () => {
    const stop = watchCameraTrack(emit, asTrack(new FakeTrack()));
    stop();
    expect(reports).toEqual([]);
  });

  test('mute opens camera_muted until unmute', () => {
    const track = new FakeTrack();
    watchCameraTrack(emit, asTrack(track));
    fire(track, 'mute');
    fire(track, 'mute');
    vi.advanceTimersByTime(4000);
    fire(track, 'unmute');
    expect(phases()).toEqual([
      ['camera_muted', 'start'],
      ['camera_muted', 'end'],
    ]);
    expect(reports[0]?.details).toEqual({ reason: 'source_muted' });
    expectPair(reports[0], reports[1], 4000);
  });

  test('a camera muted at start opens camera_muted at once', () => {
    const track = new FakeTrack();
    track.muted = true;
    watchCameraTrack(emit, asTrack(track));
    expect(phases()).toEqual([['camera_muted', 'start']]);
  });

  test('ended closes an open camera_muted, then reports camera_ended with a short label', () => {
    const track = new FakeTrack('video', `USB Camera ${'x'.repeat(100)}`);
    watchCameraTrack(emit, asTrack(track));
    fire(track, 'mute');
    vi.advanceTimersByTime(500);
    fire(track, 'ended');
    expect(phases()).toEqual([
      ['camera_muted', 'start'],
      ['camera_muted', 'end'],
      ['camera_ended', 'instant'],
    ]);
    expectPair(reports[0], reports[1], 500);
    const label = reports[2]?.details['label'];
    expect(label).toBe(track.label.slice(0, 60));
    expect(String(label)).toHaveLength(60);
  });

  test('ended without a mute reports only camera_ended', () => {
    const track = new FakeTrack('video', 'FaceTime HD Camera');
    watchCameraTrack(emit, asTrack(track));
    fire(track, 'ended');
    expect(phases()).toEqual([['camera_ended', 'instant']]);
    expect(reports[0]?.details).toEqual({ label: 'FaceTime HD Camera' });
  });

  test('a track already ended at start reports camera_ended atStart', () => {
    const track = new FakeTrack();
    track.readyState = 'ended';
    watchCameraTrack(emit, asTrack(track));
    expect(phases()).toEqual([['camera_ended', 'instant']]);
    expect(reports[0]?.details).toEqual({ atStart: true });
  });

  test('cleanup ends an open camera_muted and removes every listener', () => {
    const track = new FakeTrack();
    const stop = watchCameraTrack(emit, asTrack(track));
    fire(track, 'mute');
    vi.advanceTimersByTime(900);
    stop();
    expectPair(reports[0], reports[1], 900);
    expect(track.listenerCount()).toBe(0);
    fire(track, 'unmute');
    fire(track, 'mute');
    fire(track, 'ended');
    expect(reports).toHaveLength(2);
  });
});

describe('watchMicrophoneTrack', () => {
  test('mute opens microphone_muted until unmute', () => {
    const track = new FakeTrack('audio', 'Built-in Microphone');
    watchMicrophoneTrack(emit, asTrack(track));
    expect(reports).toEqual([]);
    fire(track, 'mute');
    vi.advanceTimersByTime(1500);
    fire(track, 'unmute');
    expect(phases()).toEqual([
      ['microphone_muted', 'start'],
      ['microphone_muted', 'end'],
    ]);
    expect(reports[0]?.details).toEqual({ reason: 'source_muted' });
    expectPair(reports[0], reports[1], 1500);
  });

  test('a microphone muted at start opens microphone_muted at once', () => {
    const track = new FakeTrack('audio');
    track.muted = true;
    watchMicrophoneTrack(emit, asTrack(track));
    expect(phases()).toEqual([['microphone_muted', 'start']]);
  });

  test('ended is not a microphone event', () => {
    const track = new FakeTrack('audio');
    watchMicrophoneTrack(emit, asTrack(track));
    fire(track, 'ended');
    expect(reports).toEqual([]);
  });

  test('cleanup ends an open microphone_muted and removes every listener', () => {
    const track = new FakeTrack('audio');
    const stop = watchMicrophoneTrack(emit, asTrack(track));
    fire(track, 'mute');
    vi.advanceTimersByTime(200);
    stop();
    expectPair(reports[0], reports[1], 200);
    expect(track.listenerCount()).toBe(0);
    fire(track, 'unmute');
    fire(track, 'mute');
    expect(reports).toHaveLength(2);
  });
});

// ── Devices ────────────────────────────────────────────────────────────────────────────────────

describe('watchDevices', () => {
  type Kinds = { video?: number; audio?: number; output?: number };
  const devices = ({ video = 0, audio = 0, output = 0 }: Kinds): { kind: MediaDeviceKind }[] => [
    ...Array.from({ length: video }, () => ({ kind: 'videoinput' as const })),
    ...Array.from({ length: audio }, () => ({ kind: 'audioinput' as const })),
    ...Array.from({ length: output }, () => ({ kind: 'audiooutput' as const })),
  ];

  let mediaDevices: FakeMediaDevices;
  let current: Kinds;

  beforeEach(() => {
    mediaDevices = new FakeMediaDevices();
    current = { video: 1, audio: 1, output: 1 };
    mediaDevices.enumerateDevices = () => Promise.resolve(devices(current));
    vi.stubGlobal('navigator', { mediaDevices });
  });

  /** Starts the watcher and lets its first count settle. */
  async function start(): Promise<() => void> {
    const stop = watchDevices(emit);
    await vi.advanceTimersByTimeAsync(0);
    return stop;
  }

  test('reports nothing without a devicechange', async () => {
    await start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(reports).toEqual([]);
  });

  test('a camera plugged in is one device_changed with the counts before and after, after 500 ms', async () => {
    await start();
    current = { video: 2, audio: 1, output: 1 };
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(499);
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(phases()).toEqual([['device_changed', 'instant']]);
    expect(reports[0]?.details).toEqual({
      videoInputs: 2,
      audioInputs: 1,
      audioOutputs: 1,
      videoInputsBefore: 1,
      audioInputsBefore: 1,
    });
  });

  test.each([
    { change: 'a microphone unplugged', after: { video: 1, audio: 0, output: 1 } },
    { change: 'a speaker plugged in', after: { video: 1, audio: 1, output: 2 } },
    { change: 'the camera unplugged', after: { video: 0, audio: 1, output: 1 } },
  ])('$change is reported', async ({ after }) => {
    await start();
    current = after;
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(500);
    expect(reports[0]?.details).toMatchObject({
      videoInputs: after.video,
      audioInputs: after.audio,
      audioOutputs: after.output,
    });
  });

  test('a burst of devicechange events settles into one report', async () => {
    await start();
    current = { video: 2, audio: 2, output: 1 };
    for (let i = 0; i < 4; i += 1) {
      fire(mediaDevices, 'devicechange');
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(reports).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(reports).toHaveLength(1);
  });

  test('a change that keeps the counts (labels after permission) is ignored', async () => {
    await start();
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([]);
  });

  test('the next change is compared with the counts of the last one', async () => {
    await start();
    current = { video: 2, audio: 1, output: 1 };
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(500);
    current = { video: 1, audio: 1, output: 1 };
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(500);
    expect(reports.map((r) => [r.details['videoInputsBefore'], r.details['videoInputs']])).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  test('without a first count, the first change reports -1 for the counts before', async () => {
    mediaDevices.enumerateDevices = () => Promise.reject(new Error('not allowed'));
    await start();
    mediaDevices.enumerateDevices = () => Promise.resolve(devices(current));
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(500);
    expect(reports[0]?.details).toMatchObject({
      videoInputsBefore: -1,
      audioInputsBefore: -1,
      videoInputs: 1,
    });
  });

  test('a failed count after a change is logged, not reported', async () => {
    const debug = vi.spyOn(monitorLog, 'debug').mockImplementation(() => undefined);
    await start();
    mediaDevices.enumerateDevices = () => Promise.reject(new Error('gone'));
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(500);
    expect(reports).toEqual([]);
    expect(debug).toHaveBeenCalledTimes(1);
    expect(debug.mock.calls[0]?.[0]).toBe('device count failed');
    expect(debug.mock.calls[0]?.[1]?.['error']).toBeInstanceOf(Error);
  });

  test.each([
    { what: 'no navigator', navigator: undefined },
    { what: 'no mediaDevices', navigator: {} },
    { what: 'no enumerateDevices', navigator: { mediaDevices: new EventTarget() } },
  ])('does nothing with $what', ({ navigator }) => {
    vi.stubGlobal('navigator', navigator);
    const stop = watchDevices(emit);
    expect(() => stop()).not.toThrow();
    expect(reports).toEqual([]);
  });

  test('cleanup cancels a pending check and stops listening', async () => {
    const stop = await start();
    current = { video: 3 };
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(100);
    stop();
    expect(mediaDevices.listenerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toEqual([]);
  });

  test('a count still in flight at cleanup reports nothing', async () => {
    await start();
    let resolve: (list: { kind: MediaDeviceKind }[]) => void = () => undefined;
    mediaDevices.enumerateDevices = () => new Promise((r) => (resolve = r));
    const stop = watchDevices(emit);
    await vi.advanceTimersByTimeAsync(0);
    fire(mediaDevices, 'devicechange');
    await vi.advanceTimersByTimeAsync(500); // the check now awaits enumerateDevices
    stop();
    resolve(devices({ video: 5 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toEqual([]);
  });
});

// ── Virtual camera ─────────────────────────────────────────────────────────────────────────────

describe('watchVirtualCamera', () => {
  test.each([
    { label: 'OBS Virtual Camera', matched: 'obs' },
    { label: 'OBS-Camera', matched: 'obs' },
    { label: 'ManyCam Virtual Webcam', matched: 'manycam' },
    { label: 'Snap Camera', matched: 'snap camera' },
    { label: 'XSplit VCam', matched: 'xsplit' },
    { label: 'mmhmm Camera', matched: 'mmhmm' },
    { label: 'CamTwist', matched: 'camtwist' },
    { label: 'NDI Webcam Input', matched: 'ndi' },
    { label: 'e2eSoft VCam', matched: 'e2esoft' },
    { label: 'OBS VirtualCam', matched: 'obs' },
    { label: 'SplitCam Video Driver', matched: 'splitcam' },
    { label: 'Unity Video Capture (VIRTUAL)', matched: 'virtual' },
  ])('"$label" is reported as virtual_camera matching "$matched"', ({ label, matched }) => {
    const stop = watchVirtualCamera(emit, asTrack(new FakeTrack('video', label)));
    expect(phases()).toEqual([['virtual_camera', 'instant']]);
    expect(reports[0]?.details).toEqual({ matched });
    stop();
    expect(reports).toHaveLength(1);
  });

  test.each([
    'FaceTime HD Camera (Built-in)',
    'Integrated Camera (04f2:b6d9)',
    'Logitech BRIO (046d:085e)',
    'HD Pro Webcam C920',
    'Microsoft LifeCam Studio',
    'OBSBOT Tiny 2 StreamCam',
    'OBSBOT Meet 4K',
    // Words inside other words: "ndi" in "candidate", "obs" in "Jacobs".
    "Candidate's FaceTime HD Camera",
    'Jacobs Webcam',
    // Phone-as-webcam apps carry a real camera's live picture: not virtual cameras.
    'Reincubate Camo',
    'EpocCam Camera',
    'DroidCam Source 3',
    'Iriun Webcam',
    "Anna's iPhone Camera",
    '',
  ])('"%s" is not reported', (label) => {
    watchVirtualCamera(emit, asTrack(new FakeTrack('video', label)));
    expect(reports).toEqual([]);
    expect(VIRTUAL_CAMERA_PATTERN.test(label)).toBe(false);
  });

  test('reports the matched word, never the full label', () => {
    watchVirtualCamera(
      emit,
      asTrack(new FakeTrack('video', 'ManyCam Virtual Webcam #2 (serial 1234)')),
    );
    expect(JSON.stringify(reports)).not.toContain('serial');
  });
});

// ── Displays ───────────────────────────────────────────────────────────────────────────────────

describe('watchDisplays', () => {
  let fakeScreen: FakeScreen;

  beforeEach(() => {
    fakeScreen = new FakeScreen();
    vi.stubGlobal('screen', fakeScreen);
  });

  test('a second display at start opens multiple_displays until it is gone', () => {
    fakeScreen.isExtended = true;
    watchDisplays(emit);
    expect(phases()).toEqual([['multiple_displays', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'extended' });
    vi.advanceTimersByTime(6000);
    fakeScreen.isExtended = false;
    fire(fakeScreen, 'change');
    expectPair(reports[0], reports[1], 6000);
  });

  test('a display plugged in later opens multiple_displays', () => {
    fakeScreen.isExtended = false;
    watchDisplays(emit);
    expect(reports).toEqual([]);
    fakeScreen.isExtended = true;
    fire(fakeScreen, 'change');
    fire(fakeScreen, 'change');
    expect(phases()).toEqual([['multiple_displays', 'start']]);
  });

  test('does nothing where isExtended is not supported', () => {
    const stop = watchDisplays(emit);
    expect(fakeScreen.listenerCount()).toBe(0);
    fakeScreen.isExtended = true;
    fire(fakeScreen, 'change');
    stop();
    expect(reports).toEqual([]);
  });

  test('does nothing without a screen object', () => {
    vi.stubGlobal('screen', undefined);
    const stop = watchDisplays(emit);
    expect(() => stop()).not.toThrow();
    expect(reports).toEqual([]);
  });

  test('cleanup ends an open multiple_displays and stops listening', () => {
    fakeScreen.isExtended = true;
    const stop = watchDisplays(emit);
    vi.advanceTimersByTime(50);
    stop();
    expectPair(reports[0], reports[1], 50);
    expect(fakeScreen.listenerCount()).toBe(0);
    fakeScreen.isExtended = false;
    fire(fakeScreen, 'change');
    fakeScreen.isExtended = true;
    fire(fakeScreen, 'change');
    expect(reports).toHaveLength(2);
  });
});

// ── LiveKit room: connection, local mute, following the local track ───────────────────────────

interface FakePublication {
  source: Track.Source;
  isMuted: boolean;
  track?: FakeLocalTrack;
}

/** LiveKit's LocalTrack: an emitter with the MediaStreamTrack it currently sends. */
class FakeLocalTrack extends EventEmitter {
  constructor(public mediaStreamTrack: MediaStreamTrack) {
    super();
  }
}

class FakeRoom extends EventEmitter {
  readonly localParticipant = {
    trackPublications: new Map<string, FakePublication>(),
    getTrackPublication(source: Track.Source): FakePublication | undefined {
      return [...this.trackPublications.values()].find((p) => p.source === source);
    },
  };

  publish(publication: FakePublication): void {
    this.localParticipant.trackPublications.set(publication.source, publication);
    this.emit(RoomEvent.LocalTrackPublished, publication, this.localParticipant);
  }

  unpublish(source: Track.Source): void {
    const publication = this.localParticipant.trackPublications.get(source);
    this.localParticipant.trackPublications.delete(source);
    this.emit(RoomEvent.LocalTrackUnpublished, publication, this.localParticipant);
  }

  asRoom(): Room {
    return this as unknown as Room;
  }

  roomListenerCount(): number {
    return this.eventNames().reduce((sum, name) => sum + this.listenerCount(name), 0);
  }
}

describe('watchConnection', () => {
  const remote = { identity: 'interviewer' };

  test('reconnecting opens connection_lost until reconnected', () => {
    const room = new FakeRoom();
    watchConnection(emit, room.asRoom());
    room.emit(RoomEvent.Reconnecting);
    vi.advanceTimersByTime(3000);
    room.emit(RoomEvent.Reconnected);
    expect(phases()).toEqual([
      ['connection_lost', 'start'],
      ['connection_lost', 'end'],
    ]);
    expect(reports[0]?.details).toEqual({ reason: 'reconnecting' });
    expectPair(reports[0], reports[1], 3000);
  });

  test('a disconnect stays open until a reconnect', () => {
    const room = new FakeRoom();
    watchConnection(emit, room.asRoom());
    room.emit(RoomEvent.Disconnected);
    vi.advanceTimersByTime(10_000);
    expect(phases()).toEqual([['connection_lost', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'disconnected' });
    room.emit(RoomEvent.Reconnected);
    expectPair(reports[0], reports[1], 10_000);
  });

  test.each([
    { quality: ConnectionQuality.Lost, opens: true },
    { quality: ConnectionQuality.Poor, opens: false },
    { quality: ConnectionQuality.Good, opens: false },
    { quality: ConnectionQuality.Excellent, opens: false },
  ])('local connection quality $quality opens connection_lost: $opens', ({ quality, opens }) => {
    const room = new FakeRoom();
    watchConnection(emit, room.asRoom());
    room.emit(RoomEvent.ConnectionQualityChanged, quality, room.localParticipant);
    expect(phases()).toEqual(opens ? [['connection_lost', 'start']] : []);
  });

  test('a lost quality ends when the quality recovers', () => {
    const room = new FakeRoom();
    watchConnection(emit, room.asRoom());
    room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Lost, room.localParticipant);
    vi.advanceTimersByTime(400);
    room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Poor, room.localParticipant);
    expect(reports[0]?.details).toEqual({ reason: 'quality_lost' });
    expectPair(reports[0], reports[1], 400);
  });

  test('another participant losing its connection is not the candidate’s', () => {
    const room = new FakeRoom();
    watchConnection(emit, room.asRoom());
    room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Lost, remote);
    expect(reports).toEqual([]);
  });

  test('overlapping causes are one event that ends when the last clears', () => {
    const room = new FakeRoom();
    watchConnection(emit, room.asRoom());
    room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Lost, room.localParticipant);
    room.emit(RoomEvent.Reconnecting);
    room.emit(RoomEvent.Reconnected);
    expect(phases()).toEqual([['connection_lost', 'start']]);
    vi.advanceTimersByTime(700);
    room.emit(RoomEvent.ConnectionQualityChanged, ConnectionQuality.Good, room.localParticipant);
    expectPair(reports[0], reports[1], 700);
  });

  test('cleanup ends an open connection_lost and removes every room listener', () => {
    const room = new FakeRoom();
    const stop = watchConnection(emit, room.asRoom());
    expect(room.roomListenerCount()).toBe(4);
    room.emit(RoomEvent.Reconnecting);
    vi.advanceTimersByTime(100);
    stop();
    expectPair(reports[0], reports[1], 100);
    expect(room.roomListenerCount()).toBe(0);
    room.emit(RoomEvent.Disconnected);
    expect(reports).toHaveLength(2);
  });
});

describe('watchLocalMute', () => {
  const remote = { identity: 'interviewer' };
  const publication = (source: Track.Source, isMuted = false): FakePublication => ({
    source,
    isMuted,
  });

  test.each([
    { source: Track.Source.Camera, kind: 'camera_muted' },
    { source: Track.Source.Microphone, kind: 'microphone_muted' },
  ])('$source turned off in the call opens $kind until turned on', ({ source, kind }) => {
    const room = new FakeRoom();
    const pub = publication(source);
    room.localParticipant.trackPublications.set(source, pub);
    watchLocalMute(emit, room.asRoom());
    expect(reports).toEqual([]);
    room.emit(RoomEvent.TrackMuted, pub, room.localParticipant);
    vi.advanceTimersByTime(2000);
    room.emit(RoomEvent.TrackUnmuted, pub, room.localParticipant);
    expect(phases()).toEqual([
      [kind, 'start'],
      [kind, 'end'],
    ]);
    expect(reports[0]?.details).toEqual({ reason: 'turned_off' });
    expectPair(reports[0], reports[1], 2000);
  });

  test('publications already muted at start open their events at once', () => {
    const room = new FakeRoom();
    room.localParticipant.trackPublications.set('camera', publication(Track.Source.Camera, true));
    room.localParticipant.trackPublications.set(
      'microphone',
      publication(Track.Source.Microphone, true),
    );
    watchLocalMute(emit, room.asRoom());
    expect(phases()).toEqual([
      ['camera_muted', 'start'],
      ['microphone_muted', 'start'],
    ]);
  });

  test('remote mutes and other sources are ignored', () => {
    const room = new FakeRoom();
    watchLocalMute(emit, room.asRoom());
    room.emit(RoomEvent.TrackMuted, publication(Track.Source.Camera), remote);
    room.emit(RoomEvent.TrackMuted, publication(Track.Source.ScreenShare), room.localParticipant);
    expect(reports).toEqual([]);
  });

  test('cleanup ends both open events and removes its room listeners', () => {
    const room = new FakeRoom();
    const stop = watchLocalMute(emit, room.asRoom());
    room.emit(RoomEvent.TrackMuted, publication(Track.Source.Camera), room.localParticipant);
    room.emit(RoomEvent.TrackMuted, publication(Track.Source.Microphone), room.localParticipant);
    vi.advanceTimersByTime(60);
    stop();
    expect(phases()).toEqual([
      ['camera_muted', 'start'],
      ['microphone_muted', 'start'],
      ['camera_muted', 'end'],
      ['microphone_muted', 'end'],
    ]);
    expect(reports[2]?.durationMs).toBe(60);
    expect(room.roomListenerCount()).toBe(0);
    room.emit(RoomEvent.TrackUnmuted, publication(Track.Source.Camera), room.localParticipant);
    room.emit(RoomEvent.TrackMuted, publication(Track.Source.Camera), room.localParticipant);
    expect(reports).toHaveLength(4);
  });
});

describe('followLocalTrack', () => {
  /** A bind callback that logs bind/unbind by track label. */
  function recorder(): { log: string[]; bind: (track: MediaStreamTrack) => () => void } {
    const log: string[] = [];
    return {
      log,
      bind: (track) => {
        log.push(`bind ${track.label}`);
        return () => log.push(`unbind ${track.label}`);
      },
    };
  }

  test('binds the fallback while nothing is published, then follows publish and unpublish', () => {
    const room = new FakeRoom();
    const { log, bind } = recorder();
    followLocalTrack(
      room.asRoom(),
      Track.Source.Camera,
      asTrack(new FakeTrack('video', 'fallback')),
      bind,
    );
    expect(log).toEqual(['bind fallback']);
    room.publish({
      source: Track.Source.Camera,
      isMuted: false,
      track: new FakeLocalTrack(asTrack(new FakeTrack('video', 'published'))),
    });
    room.unpublish(Track.Source.Camera);
    expect(log).toEqual([
      'bind fallback',
      'unbind fallback',
      'bind published',
      'unbind published',
      'bind fallback',
    ]);
  });

  test('binds nothing without a track or a fallback', () => {
    const room = new FakeRoom();
    const { log, bind } = recorder();
    const stop = followLocalTrack(room.asRoom(), Track.Source.Microphone, null, bind);
    stop();
    expect(log).toEqual([]);
  });

  test('rebinds when LiveKit restarts the track with a new MediaStreamTrack', () => {
    const room = new FakeRoom();
    const { log, bind } = recorder();
    const local = new FakeLocalTrack(asTrack(new FakeTrack('video', 'first')));
    room.publish({ source: Track.Source.Camera, isMuted: false, track: local });
    followLocalTrack(room.asRoom(), Track.Source.Camera, null, bind);
    local.mediaStreamTrack = asTrack(new FakeTrack('video', 'second'));
    local.emit(TrackEvent.Restarted);
    expect(log).toEqual(['bind first', 'unbind first', 'bind second']);
  });

  test('does not rebind the same track on an unrelated room event', () => {
    const room = new FakeRoom();
    const { log, bind } = recorder();
    room.publish({
      source: Track.Source.Camera,
      isMuted: false,
      track: new FakeLocalTrack(asTrack(new FakeTrack('video', 'cam'))),
    });
    followLocalTrack(room.asRoom(), Track.Source.Camera, null, bind);
    room.emit(RoomEvent.TrackUnmuted);
    room.publish({ source: Track.Source.Microphone, isMuted: false });
    expect(log).toEqual(['bind cam']);
  });

  test('cleanup unbinds and removes its room and track listeners', () => {
    const room = new FakeRoom();
    const { log, bind } = recorder();
    const local = new FakeLocalTrack(asTrack(new FakeTrack('video', 'cam')));
    room.publish({ source: Track.Source.Camera, isMuted: false, track: local });
    const stop = followLocalTrack(room.asRoom(), Track.Source.Camera, null, bind);
    stop();
    expect(log).toEqual(['bind cam', 'unbind cam']);
    expect(room.roomListenerCount()).toBe(0);
    expect(local.listenerCount(TrackEvent.Restarted)).toBe(0);
    room.unpublish(Track.Source.Camera);
    local.emit(TrackEvent.Restarted);
    expect(log).toHaveLength(2);
  });

  test('currentLocalTrack is the published MediaStreamTrack, or null', () => {
    const room = new FakeRoom();
    expect(currentLocalTrack(room.asRoom(), Track.Source.Camera)).toBeNull();
    const media = asTrack(new FakeTrack());
    room.publish({ source: Track.Source.Camera, isMuted: false, track: new FakeLocalTrack(media) });
    expect(currentLocalTrack(room.asRoom(), Track.Source.Camera)).toBe(media);
    room.publish({ source: Track.Source.Microphone, isMuted: false });
    expect(currentLocalTrack(room.asRoom(), Track.Source.Microphone)).toBeNull();
  });
});

// ── Reported failures ──────────────────────────────────────────────────────────────────────────

describe('reportAnalysisFailed and reportCameraFailed', () => {
  test('analysis_failed stays open until its cleanup, with the reason and a short message', () => {
    const stop = reportAnalysisFailed(emit, 'model_load_failed', 'm'.repeat(500));
    expect(phases()).toEqual([['analysis_failed', 'start']]);
    expect(reports[0]?.details).toEqual({ reason: 'model_load_failed', message: 'm'.repeat(120) });
    vi.advanceTimersByTime(9000);
    stop();
    stop();
    expect(reports).toHaveLength(2);
    expectPair(reports[0], reports[1], 9000);
  });

  test('camera_failed is an instant with a short reason', () => {
    reportCameraFailed(emit, 'r'.repeat(300));
    expect(phases()).toEqual([['camera_failed', 'instant']]);
    expect(reports[0]?.details).toEqual({ reason: 'r'.repeat(120) });
  });
});
