import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { api } from '../api/api-client';
import { DashboardPage } from './dashboard-page';

const ID = '3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f';

beforeEach(() => {
  sessionStorage.setItem('live-interview.api-key', 'key-0123456789abcdef');
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  sessionStorage.clear();
});

const settle = () =>
  act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });

describe('DashboardPage', () => {
  test('lists interviews with status words, score and report links, and searches', async () => {
    const list = vi.spyOn(api, 'listInterviews').mockResolvedValue({
      interviews: [
        {
          id: ID,
          candidate_hash: 'ats-alpha-0001',
          status: 'completed',
          created_at: '2026-12-01T10:00:00.000Z',
          completed_at: '2026-12-01T10:30:00.000Z',
          final_score: 87,
        },
      ],
      next_cursor: null,
    });
    render(<DashboardPage />);
    await settle();
    expect(screen.getByRole('cell', { name: 'ats-alpha-0001' })).toBeTruthy();
    expect(screen.getByText('Completed', { selector: 'span' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: '87' })).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Report for ats-alpha-0001' });
    expect(link.getAttribute('href')).toBe(`/interviews/${ID}`);

    fireEvent.change(screen.getByLabelText('Candidate reference'), {
      target: { value: 'ats-alpha-0001' },
    });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'completed' } });
    fireEvent.submit(screen.getByRole('search'));
    await settle();
    expect(list).toHaveBeenLastCalledWith('key-0123456789abcdef', {
      candidate_hash: 'ats-alpha-0001',
      status: 'completed',
      limit: 50,
      cursor: undefined,
    });
    expect(screen.getByText('Showing 1 interview, newest first.')).toBeTruthy();
  });

  test('Copy says Copied, or what to do when the clipboard is unavailable', async () => {
    vi.spyOn(api, 'listInterviews').mockResolvedValue({
      interviews: [],
      next_cursor: null,
    });
    vi.spyOn(api, 'createInterview').mockResolvedValue({
      id: ID,
      candidate_url: 'http://localhost/c/abc',
      interviewer_url: 'http://localhost/i/def',
      status: 'created',
    });
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    render(<DashboardPage />);
    await settle();
    fireEvent.change(screen.getByLabelText('Candidate reference (hash)'), {
      target: { value: 'ats-new-00001' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Create interview' }));
    await settle();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy candidate link' }));
      await Promise.resolve();
    });
    expect(writeText).toHaveBeenCalledWith('http://localhost/c/abc');
    expect(screen.getByText('Copied')).toBeTruthy();

    writeText.mockImplementationOnce(() => Promise.reject(new Error('denied')));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Copy interviewer link' }));
      await Promise.resolve();
    });
    expect(screen.getByText(/Copy failed/)).toBeTruthy();
  });
});
