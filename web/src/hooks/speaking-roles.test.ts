import { describe, expect, test } from 'vitest';
import { speakingRoles } from './speaking-roles';

describe('speakingRoles', () => {
  test.each([
    [[], []],
    [[{ identity: 'candidate' }], ['candidate']],
    [
      [{ identity: 'interviewer' }, { identity: 'candidate' }],
      ['candidate', 'interviewer'],
    ],
    [[{ identity: 'recorder' }, { identity: 'someone-else' }], []],
  ])('%j → %j', (speakers, roles) => {
    expect(speakingRoles(speakers)).toEqual(roles);
  });
});
