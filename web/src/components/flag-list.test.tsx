import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Flag } from '../../../shared/detection/flag';
import { FlagList } from './flag-list';

afterEach(cleanup);

const START = 1_000_000;

function flag(id: string, kind: Flag['kind'], startS: number, extra: Partial<Flag> = {}): Flag {
  return {
    flagId: id,
    kind,
    category: kind === 'poor_quality' || kind === 'microphone_muted' ? 'measurement' : 'integrity',
    startMs: START + startS * 1000,
    endMs: START + startS * 1000 + 2000,
    durationMs: 2000,
    details: {},
    review: 'pending',
    ...extra,
  };
}

const items = () =>
  within(screen.getByRole('list', { name: 'Flags in time order' })).getAllByRole('listitem');

describe('FlagList', () => {
  test('lists flags in time order with times on the interview clock, points and evidence', () => {
    render(
      <FlagList
        flags={[flag('f1', 'paste', 9, { details: { length: 12 } }), flag('f2', 'page_hidden', 75)]}
        startMs={START}
        points={
          new Map([
            ['f1', -6],
            ['f2', -8.34],
          ])
        }
      />,
    );
    const [first, second] = items();
    expect(first?.textContent).toContain('0:09');
    expect(first?.textContent).toContain('Pasted text');
    expect(first?.textContent).toContain('−6.0 points');
    expect(first?.textContent).toContain('length: 12');
    expect(second?.textContent).toContain('1:15');
    expect(second?.textContent).toContain('−8.3 points');
  });

  test('measurement flags say they are not counted and have no review buttons', () => {
    render(
      <FlagList flags={[flag('m1', 'microphone_muted', 3)]} startMs={START} onReview={vi.fn()} />,
    );
    expect(items()[0]?.textContent).toContain('measurement, not counted');
    expect(screen.queryByRole('button', { name: /Confirm/ })).toBeNull();
  });

  test('a new flag is appended without moving the controls in use, and announced briefly', () => {
    const onReview = vi.fn(() => Promise.resolve());
    const a = flag('a', 'paste', 10);
    const { rerender } = render(<FlagList flags={[a]} startMs={START} onReview={onReview} />);
    const confirmA = screen.getByRole('button', { name: 'Confirm Pasted text at 0:10' });
    confirmA.focus();
    // A late flag that started earlier (a resent message) still goes to the end.
    rerender(
      <FlagList flags={[flag('b', 'window_blur', 4), a]} startMs={START} onReview={onReview} />,
    );
    expect(items().map((li) => li.textContent.slice(0, 4))).toEqual(['0:10', '0:04']);
    expect(document.activeElement).toBe(confirmA);
    expect(screen.getByText('New flag: Window lost focus at 0:04')).toBeTruthy();
    // The list itself is not a live region.
    expect(
      screen.getByRole('list', { name: 'Flags in time order' }).getAttribute('aria-live'),
    ).toBeNull();
  });

  test('reviewing keeps focus on the button, shows the state with aria-pressed and sends the note', async () => {
    const onReview = vi.fn(() => Promise.resolve());
    const a = flag('a', 'paste', 10);
    const { rerender } = render(<FlagList flags={[a]} startMs={START} onReview={onReview} />);
    fireEvent.change(
      screen.getByRole('textbox', { name: 'Note on Pasted text at 0:10 (optional)' }),
      {
        target: { value: ' pasted their own URL ' },
      },
    );
    const dismiss = screen.getByRole('button', { name: 'Dismiss Pasted text at 0:10' });
    dismiss.focus();
    await act(async () => {
      fireEvent.click(dismiss);
      await Promise.resolve();
    });
    expect(onReview).toHaveBeenCalledWith('a', 'dismissed', 'pasted their own URL');
    rerender(
      <FlagList flags={[{ ...a, review: 'dismissed' }]} startMs={START} onReview={onReview} />,
    );
    const after = screen.getByRole('button', { name: 'Dismiss Pasted text at 0:10' });
    expect(after).toBe(dismiss);
    expect(document.activeElement).toBe(dismiss);
    expect(after.getAttribute('aria-pressed')).toBe('true');
    expect((after as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByText('Pasted text at 0:10: dismissed.')).toBeTruthy();
    expect(items()[0]?.textContent).toContain('dismissed: everything it cost is given back');
  });

  test('a failed review is announced, not silent', async () => {
    const onReview = vi.fn(() => Promise.reject(new Error('offline')));
    render(<FlagList flags={[flag('a', 'paste', 10)]} startMs={START} onReview={onReview} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Confirm Pasted text at 0:10' }));
      await Promise.resolve();
    });
    expect(screen.getByText('Pasted text at 0:10: the decision was not saved.')).toBeTruthy();
  });

  test('the report shows saved notes read-only', () => {
    render(
      <FlagList
        flags={[flag('a', 'paste', 10, { review: 'confirmed' })]}
        startMs={START}
        notes={new Map([['a', 'pasted an answer']])}
      />,
    );
    expect(items()[0]?.textContent).toContain('Note: pasted an answer');
  });
});
