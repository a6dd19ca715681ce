import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ApiRequestError, api } from '../api/api-client';
import { CandidatePage } from './candidate-page';

/** A LocalTrack stand-in: what the controls and the preview touch, nothing more. */
function fakeTrack(kind: 'audio' | 'video') {
  let muted = false;
  const listeners = new Map<string, Set<() => void>>();
  const emit = (event: string): void => listeners.get(event)?.forEach((l) => l());
  const track = {
    kind,
    get isMuted() {
      return muted;
    },
    mediaStreamTrack: { getSettings: () => ({ deviceId: `${kind}-1` }) },
    on(event: string, listener: () => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)?.add(listener);
      return track;
    },
    off(event: string, listener: () => void) {
      listeners.get(event)?.delete(listener);
      return track;
    },
    mute: vi.fn(() => {
      muted = true;
      emit('muted');
      return Promise.resolve(track);
    }),
    unmute: vi.fn(() => {
      muted = false;
      emit('unmuted');
      return Promise.resolve(track);
    }),
    attach: vi.fn(),
    detach: vi.fn(),
    setDeviceId: vi.fn(() => Promise.resolve(true)),
  };
  return track;
}

const tracks = [fakeTrack('audio'), fakeTrack('video')];
vi.mock('../hooks/use-local-media', () => ({
  useLocalMedia: () => ({ phase: 'ready', tracks, retry: () => undefined }),
}));
vi.mock('../hooks/use-link-info', () => ({
  useLinkInfo: () => ({
    phase: 'ready',
    info: {
      interview_id: '3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f',
      role: 'candidate',
      status: 'live',
      retention_days: 30,
    },
  }),
}));

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('CandidatePage before joining', () => {
  test('shows the preview, the controls, the notice and Join, and never an End button', () => {
    render(<CandidatePage token={'a'.repeat(43)} />);
    expect(screen.getByRole('heading', { name: 'Before you join' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: /What this interview checks/ })).toBeTruthy();
    expect(screen.getByRole('group', { name: 'Call controls' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Join interview' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'End interview' })).toBeNull();
  });

  test('the microphone and camera toggles act on the tracks and say what they will do', async () => {
    render(<CandidatePage token={'a'.repeat(43)} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Mute microphone' }));
      await Promise.resolve();
    });
    expect(tracks[0]?.mute).toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Unmute microphone' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Turn camera off' }));
      await Promise.resolve();
    });
    expect(screen.getByRole('button', { name: 'Turn camera on' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Unmute microphone' }));
      fireEvent.click(screen.getByRole('button', { name: 'Turn camera on' }));
      await Promise.resolve();
    });
    expect(screen.getByRole('button', { name: 'Mute microphone' })).toBeTruthy();
  });

  test.each([
    [503, /cannot be opened right now.*tell the person who invited you/],
    [409, /already ended/],
    [0, /cannot be reached/],
  ])(
    'a join refused with %i is explained in plain words, without the technical reason',
    async (status, text) => {
      vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      vi.spyOn(api, 'join').mockRejectedValue(
        new ApiRequestError(status, 'the recorder could not join the room; is LiveKit running?'),
      );
      render(<CandidatePage token={'a'.repeat(43)} />);
      await act(async () => {
        fireEvent.click(screen.getByRole('button', { name: 'Join interview' }));
        await Promise.resolve();
        await Promise.resolve();
      });
      const alert = screen.getByRole('alert');
      expect(alert.textContent).toMatch(text);
      expect(alert.textContent).not.toMatch(/LiveKit|recorder/);
    },
  );
});
