import { describe, expect, it } from 'vitest';
import type { BlockingCheck, TeamDetail } from '../api/types.js';
import { neededFor } from './team-page.js';

const tracks: TeamDetail['tracks'] = [
  { trackId: 'basics', name: 'Basics', levels: [{ id: 'bronze', name: 'Bronze' }, { id: 'silver', name: 'Silver' }] },
];
const check = (over: Partial<BlockingCheck>): BlockingCheck => ({
  checkId: 'coverage-60', name: 'Coverage ≥ 60%', trackId: 'basics', levelId: 'silver', blocks: 2, entities: [], remediation: '', effort: null, ...over,
});

describe('neededFor', () => {
  it('names the level and the track that ask for the check', () => {
    expect(neededFor(check({}), tracks)).toBe('needed for Silver on Basics');
  });
  it('falls back to ids, and to the track alone without a level', () => {
    expect(neededFor(check({ levelId: 'gold' }), tracks)).toBe('needed for gold on Basics');
    expect(neededFor(check({ trackId: 'security', levelId: null }), tracks)).toBe('on security');
  });
});
