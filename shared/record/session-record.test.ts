import { describe, expect, test } from 'vitest';
import { T0_MS, makeSample } from '../scoring/test-fixtures';
import { JournalEntrySchema } from './journal-entry';
import { SessionRecordSchema, StoredSampleSchema, newSessionRecord } from './session-record';

const init = {
  id: '3f1b8d3e-2c1a-4b7e-9d2f-0a1b2c3d4e5f',
  candidateHash: 'cand-hash-0001',
  createdAt: new Date(T0_MS),
  retainUntil: new Date(T0_MS + 86_400_000),
  tokenHashes: { candidate: 'a', interviewer: 'b' },
};

describe('session record', () => {
  test('a new record is valid and empty', () => {
    const record = SessionRecordSchema.parse(newSessionRecord(init));
    expect(record.status).toBe('created');
    expect(record.samples).toEqual([]);
    expect(record.interview_summary).toBeNull();
  });

  test.each([
    ['a path as id', { ...init, id: '../../etc/passwd' }],
    ['a name-like candidate reference', { ...init, candidateHash: 'Jane Doe' }],
  ])('rejects %s', (_name, bad) => {
    expect(SessionRecordSchema.safeParse(newSessionRecord(bad)).success).toBe(false);
  });

  test('stored samples keep the wire fields plus the receive time, and nothing else', () => {
    const sample = { ...makeSample(), receivedAtMs: T0_MS + 5 };
    expect(StoredSampleSchema.parse(sample)).toEqual(sample);
    expect(StoredSampleSchema.safeParse({ ...sample, landmarks: [] }).success).toBe(false);
    expect(
      StoredSampleSchema.safeParse({ ...sample, framesAnalysed: 99, framesOffered: 10 }).success,
    ).toBe(false);
  });

  test('journal entries are a closed union', () => {
    expect(JournalEntrySchema.safeParse({ entry: 'frame', data: 'x' }).success).toBe(false);
    expect(
      JournalEntrySchema.safeParse({
        entry: 'review',
        review: { flagId: 'ev-1', decision: 'dismissed', atMs: 1 },
      }).success,
    ).toBe(true);
  });
});
