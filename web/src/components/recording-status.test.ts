import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, test } from 'vitest';
import type { LiveState } from '../../../shared/api/interview-api';
import { RecordingStatus } from './recording-status';

const live = (patch: Partial<LiveState>): LiveState =>
  ({
    status: 'live',
    recorder_connected: true,
    ...patch,
  }) as LiveState;

describe('RecordingStatus', () => {
  test.each([
    ['recorder away while live', live({ recorder_connected: false }), true],
    ['recorder in the room', live({}), false],
    ['interview not live', live({ status: 'completed', recorder_connected: false }), false],
    ['no live state yet', null, false],
  ])('%s', (_name, state, shown) => {
    const html = renderToStaticMarkup(createElement(RecordingStatus, { live: state }));
    expect(html.includes('Recording paused')).toBe(shown);
    if (shown) expect(html).toContain('role="status"');
  });
});
