import { z } from 'zod';
import { FlagReviewSchema, SpeakerIntervalSchema } from '../detection/flag';
import {
  ConnectionNoteSchema,
  IdentityCheckSettingSchema,
  RejectionSchema,
  StoredEventSchema,
  StoredSampleSchema,
} from './session-record';

/**
 * One line of `SESSIONS_DIR/<id>.journal.ndjson`: what the recorder appends as it happens, so a
 * crash loses nothing. Completion folds the journal into `<id>.json` and removes it.
 */
export const JournalEntrySchema = z.discriminatedUnion('entry', [
  z.object({ entry: z.literal('sample'), sample: StoredSampleSchema }).strict(),
  z.object({ entry: z.literal('event'), event: StoredEventSchema }).strict(),
  z.object({ entry: z.literal('review'), review: FlagReviewSchema }).strict(),
  z.object({ entry: z.literal('speaker'), interval: SpeakerIntervalSchema }).strict(),
  z.object({ entry: z.literal('connection'), note: ConnectionNoteSchema }).strict(),
  z.object({ entry: z.literal('rejected'), rejection: RejectionSchema }).strict(),
  /** The candidate agreed to the identity check while the interview was already live. */
  z
    .object({ entry: z.literal('identity_check'), identity_check: IdentityCheckSettingSchema })
    .strict(),
]);
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
