import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { Progress, formatBytes } from './status-message';

afterEach(cleanup);

describe('Progress', () => {
  test('says bytes and percent of a known total, so a long download visibly moves', () => {
    render(<Progress label="Downloading:" value={4_200_000} max={16_800_000} />);
    expect(screen.getByRole('status').textContent).toBe('Downloading: 4.2 MB of 16.8 MB (25%)');
    expect(screen.getByRole('progressbar').getAttribute('value')).toBe('4200000');
  });

  test('is indeterminate without a total', () => {
    render(<Progress label="Joining…" value={null} max={null} />);
    expect(screen.getByRole('status').textContent).toBe('Joining…');
    expect(screen.getByRole('progressbar').hasAttribute('value')).toBe(false);
  });

  test.each([
    [850_000, '850 KB'],
    [13_000_000, '13.0 MB'],
    [0, '0 KB'],
  ])('%i bytes read %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
