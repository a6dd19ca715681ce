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
  ])('%s', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
  });
});
