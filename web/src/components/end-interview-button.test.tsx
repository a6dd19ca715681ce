import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { api } from '../api/api-client';
import { EndInterviewButton } from './end-interview-button';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('EndInterviewButton', () => {
  test('asks for confirmation; Cancel ends nothing and returns focus', () => {
    const complete = vi.spyOn(api, 'complete').mockResolvedValue({ status: 'completed' });
    const onEnded = vi.fn();
    render(<EndInterviewButton token="t" onEnded={onEnded} />);
    const opener = screen.getByRole('button', { name: 'End interview' });
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'End the interview for both of you?' });
    expect(dialog.textContent).toContain('cannot be undone');
    // The safe choice has the focus.
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(complete).not.toHaveBeenCalled();
    expect(onEnded).not.toHaveBeenCalled();
  });

  test('confirming ends the interview once and hands over', async () => {
    const complete = vi.spyOn(api, 'complete').mockResolvedValue({ status: 'completed' });
    const onEnded = vi.fn();
    render(<EndInterviewButton token="tok" onEnded={onEnded} />);
    fireEvent.click(screen.getByRole('button', { name: 'End interview' }));
    const dialog = screen.getByRole('dialog');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'End interview' }));
      await Promise.resolve();
    });
    expect(complete).toHaveBeenCalledWith('tok');
    expect(onEnded).toHaveBeenCalledTimes(1);
  });

  test('a refused request says so in plain words and keeps the dialog open', async () => {
    vi.spyOn(api, 'complete').mockRejectedValue(new Error('HTTP 500'));
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const onEnded = vi.fn();
    render(<EndInterviewButton token="tok" onEnded={onEnded} />);
    fireEvent.click(screen.getByRole('button', { name: 'End interview' }));
    const dialog = screen.getByRole('dialog');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'End interview' }));
      await Promise.resolve();
    });
    expect(screen.getByRole('alert').textContent).toMatch(/could not be ended/);
    expect(screen.getByRole('alert').textContent).not.toMatch(/HTTP 500/);
    expect(onEnded).not.toHaveBeenCalled();
  });
});
