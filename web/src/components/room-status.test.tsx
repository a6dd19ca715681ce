import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RoomStatus } from './room-status';

afterEach(cleanup);

describe('RoomStatus', () => {
  test('joining shows its step as progress', () => {
    render(
      <RoomStatus
        room={{ phase: 'connecting', joinStep: 'publishing', error: null }}
        onRejoin={vi.fn()}
      />,
    );
    expect(screen.getByRole('status').textContent).toMatch(/Sharing your camera and microphone/);
  });

  test.each(['ended', 'failed'] as const)('%s offers a way back in with the same link', (phase) => {
    const onRejoin = vi.fn();
    render(
      <RoomStatus
        room={{ phase, joinStep: 'connecting', error: 'Could not connect to the interview room.' }}
        onRejoin={onRejoin}
      />,
    );
    fireEvent.click(screen.getByRole('button'));
    expect(onRejoin).toHaveBeenCalledTimes(1);
  });

  test('connected shows nothing', () => {
    const { container } = render(
      <RoomStatus
        room={{ phase: 'connected', joinStep: 'publishing', error: null }}
        onRejoin={vi.fn()}
      />,
    );
    expect(container.textContent).toBe('');
  });
});
