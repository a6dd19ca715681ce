import { mkdir, readFile, readdir, rename, rm, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalEntrySchema, type JournalEntry } from '../../shared/record/journal-entry';
import {
  InterviewIdSchema,
  SessionRecordSchema,
  type SessionRecord,
} from '../../shared/record/session-record';
import { formatIssues } from '../../shared/protocol/data-message';
import { CorruptRecordError } from '../errors/errors';

/**
 * Session records on disk: `<id>.json` is the document, rewritten atomically (temp file +
 * rename); `<id>.journal.ndjson` collects what arrives while the interview is live, one line per
 * record, so a crash loses nothing. Paths are built only from ids that parse as UUIDs.
 */
export interface SessionStore {
  readonly dir: string;
  init(): Promise<void>;
  write(record: SessionRecord): Promise<void>;
  /** The snapshot with the journal replayed onto it; null when there is none. */
  read(id: string): Promise<SessionRecord | null>;
  append(id: string, entry: JournalEntry): Promise<void>;
  /** Writes the final document, then drops the journal it absorbed. */
  finalise(record: SessionRecord): Promise<void>;
  remove(id: string): Promise<void>;
  listIds(): Promise<string[]>;
}

export function createFileSessionStore(dir: string): SessionStore {
  const docPath = (id: string): string => join(dir, `${InterviewIdSchema.parse(id)}.json`);
  const journalPath = (id: string): string =>
    join(dir, `${InterviewIdSchema.parse(id)}.journal.ndjson`);

  async function readJson(id: string): Promise<SessionRecord | null> {
    let text: string;
    try {
      text = await readFile(docPath(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const parsed = SessionRecordSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new CorruptRecordError(`${docPath(id)}: ${formatIssues(parsed.error)}`);
    }
    return parsed.data;
  }

  async function readJournal(id: string): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(journalPath(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      // A torn last line after a crash is skipped; every complete line before it is kept.
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue;
      }
      const parsed = JournalEntrySchema.safeParse(json);
      if (parsed.success) entries.push(parsed.data);
    }
    return entries;
  }

  return {
    dir,
    async init() {
      await mkdir(dir, { recursive: true });
    },
    async write(record) {
      const path = docPath(record.id);
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(record, null, 2), { mode: 0o600 });
      await rename(tmp, path);
    },
    async read(id) {
      const record = await readJson(id);
      if (record === null) return null;
      return applyJournal(record, await readJournal(id));
    },
    async append(id, entry) {
      await appendFile(journalPath(id), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    },
    async finalise(record) {
      await this.write(record);
      await rm(journalPath(record.id), { force: true });
    },
    async remove(id) {
      await rm(docPath(id), { force: true });
      await rm(journalPath(id), { force: true });
    },
    async listIds() {
      const names = await readdir(dir);
      return names
        .filter((n) => n.endsWith('.json'))
        .map((n) => n.slice(0, -'.json'.length))
        .filter((id) => InterviewIdSchema.safeParse(id).success);
    },
  };
}

/** Folds journal entries into a record (pure; the recorder uses the same on restart). */
export function applyJournal(
  record: SessionRecord,
  entries: readonly JournalEntry[],
): SessionRecord {
  const next: SessionRecord = {
    ...record,
    samples: [...record.samples],
    events: [...record.events],
    reviews: [...record.reviews],
    speakers: [...record.speakers],
    connection: [...record.connection],
    rejected: [...record.rejected],
  };
  for (const e of entries) {
    switch (e.entry) {
      case 'sample':
        next.samples.push(e.sample);
        break;
      case 'event':
        next.events.push(e.event);
        break;
      case 'review':
        next.reviews.push(e.review);
        break;
      case 'speaker':
        next.speakers.push(e.interval);
        break;
      case 'connection':
        next.connection.push(e.note);
        break;
      case 'rejected':
        next.rejected.push(e.rejection);
        break;
      case 'identity_check':
        next.identity_check = e.identity_check;
        break;
    }
  }
  return next;
}
