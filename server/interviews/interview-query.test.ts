import { describe, expect, test } from 'vitest';
import type { InterviewListItem } from '../../shared/api/interview-api';
import { InterviewListQuerySchema, queryInterviews } from './interview-query';

function item(n: number, status: InterviewListItem['status'], hash: string): InterviewListItem {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    candidate_hash: hash,
    status,
    created_at: new Date(1_700_000_000_000 - n * 1000).toISOString(),
    completed_at: null,
    final_score: null,
  };
}

const all = [
  item(1, 'live', 'ATS-alpha-0001'),
  item(2, 'completed', 'ats-beta-0002'),
  item(3, 'created', 'ats-alpha-0003'),
  item(4, 'completed', 'other-0004'),
];
const q = (raw: Record<string, string>) => InterviewListQuerySchema.parse(raw);

describe('queryInterviews', () => {
  test.each([
    [{}, [1, 2, 3, 4]],
    [{ candidate_hash: 'alpha' }, [1, 3]],
    [{ candidate_hash: 'ATS-' }, [1, 2, 3]],
    [{ status: 'completed' }, [2, 4]],
    [{ candidate_hash: 'ats', status: 'completed' }, [2]],
    [{ candidate_hash: '', status: '' }, [1, 2, 3, 4]],
    [{ candidate_hash: 'nobody' }, []],
  ])('%o keeps %o in the list order', (raw, expected) => {
    const page = queryInterviews(all, q(raw));
    expect(page.interviews.map((i) => Number(i.id.slice(-4)))).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  test('pages with limit and offset and says where the next page starts', () => {
    expect(queryInterviews(all, q({ limit: '3' }))).toMatchObject({ total: 4, next_offset: 3 });
    const last = queryInterviews(all, q({ limit: '3', offset: '3' }));
    expect(last.interviews).toHaveLength(1);
    expect(last.next_offset).toBeNull();
    expect(queryInterviews(all, q({ offset: '10' })).interviews).toEqual([]);
  });

  test.each([
    { limit: '0' },
    { limit: '201' },
    { offset: '-1' },
    { status: 'done' },
    { candidate_hash: 'a b' },
    { unknown: 'x' },
  ])('%o is refused', (raw) => {
    expect(InterviewListQuerySchema.safeParse(raw).success).toBe(false);
  });
});
