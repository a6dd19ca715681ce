import { describe, expect, test } from 'vitest';
import { parseRoute } from './route';

const token = 'a'.repeat(43);

describe('parseRoute', () => {
  test.each([
    ['/', { page: 'dashboard' }],
    [`/c/${token}`, { page: 'candidate', token }],
    [`/i/${token}`, { page: 'interviewer', token }],
    [`/i/${token}/report`, { page: 'report', token }],
    [`/i/${token}/`, { page: 'interviewer', token }],
    [`/c/${token}/report`, { page: 'not-found' }],
    ['/c/short', { page: 'not-found' }],
    [`/x/${token}`, { page: 'not-found' }],
    [`/c/${token}extra`, { page: 'not-found' }],
    [
      '/interviews/3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f',
      { page: 'dashboard-report', id: '3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f' },
    ],
    ['/interviews/not-an-id', { page: 'not-found' }],
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });
});
