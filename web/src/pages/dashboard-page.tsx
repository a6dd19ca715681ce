import { useCallback, useEffect, useId, useState, type SubmitEvent } from 'react';
import type { CreateInterviewResponse, InterviewListItem } from '../../../shared/api/interview-api';
import { ApiRequestError, api } from '../api/api-client';
import { ErrorMessage } from '../components/status-message';

const KEY_STORAGE = 'live-interview.api-key';
const PAGE_SIZE = 50;

const STATUS_WORD: Record<InterviewListItem['status'], string> = {
  created: 'Not started',
  live: 'In progress',
  completed: 'Completed',
};

interface Filters {
  candidate_hash: string;
  status: '' | InterviewListItem['status'];
}

/** Readable reasons for the dashboard's reader, the recruiter or operator. */
function dashboardError(e: unknown): string {
  console.warn('dashboard request failed', e);
  if (!(e instanceof ApiRequestError)) return 'Something went wrong. Please try again.';
  if (e.status === 401) return 'Wrong API key: check the key and try again.';
  if (e.status === 503)
    return 'Interviews cannot be created right now: the video service is not running. Try again shortly or ask your administrator.';
  if (e.status === 0) return e.message;
  return `The request was refused: ${e.reason}`;
}

/** Create interviews, find them by candidate reference or status, and open their reports. */
export function DashboardPage() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY_STORAGE) ?? '');
  const [candidateHash, setCandidateHash] = useState('');
  const [created, setCreated] = useState<CreateInterviewResponse | null>(null);
  const [list, setList] = useState<InterviewListItem[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [identityCheck, setIdentityCheck] = useState(false);
  const [filters, setFilters] = useState<Filters>({ candidate_hash: '', status: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (key: string, f: Filters, cursor?: string) => {
    if (!key) return;
    try {
      const page = await api.listInterviews(key, { ...f, limit: PAGE_SIZE, cursor });
      setList((previous) =>
        cursor === undefined ? page.interviews : [...(previous ?? []), ...page.interviews],
      );
      setNextCursor(page.next_cursor);
      setError(null);
    } catch (e) {
      if (cursor === undefined) setList(null);
      setError(dashboardError(e));
    }
  }, []);
  useEffect(() => {
    void load(apiKey, filters);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- first render only: typing a key must not fire a request per keystroke
  }, []);

  const onCreate = async (event: SubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    sessionStorage.setItem(KEY_STORAGE, apiKey);
    try {
      setCreated(await api.createInterview(apiKey, candidateHash.trim(), identityCheck));
      setCandidateHash('');
      await load(apiKey, filters);
    } catch (e) {
      setError(dashboardError(e));
    } finally {
      setBusy(false);
    }
  };
  const onSearch = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    sessionStorage.setItem(KEY_STORAGE, apiKey);
    void load(apiKey, filters);
  };

  return (
    <main className="page dashboard">
      <h1>Live Interview</h1>
      <p>
        Create an interview, send the candidate link to the candidate and open the interviewer link
        yourself. The candidate’s browser analyses attention and integrity signals on the device;
        you review them live and in the report. Nothing here is a hiring decision.
      </p>
      <form className="panel" onSubmit={(e) => void onCreate(e)} aria-labelledby="create-heading">
        <h2 id="create-heading">New interview</h2>
        <label>
          API key
          <input
            type="password"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            autoComplete="off"
            required
          />
        </label>
        <label>
          Candidate reference (hash)
          <input
            value={candidateHash}
            onChange={(e) => setCandidateHash(e.target.value)}
            required
            minLength={8}
            maxLength={128}
            pattern="[A-Za-z0-9_:.\-]+"
            aria-describedby="hash-help"
          />
        </label>
        <p id="hash-help" className="muted">
          An opaque reference from your screening system, 8–128 letters, digits or _ : . - (never a
          name).
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={identityCheck}
            onChange={(e) => setIdentityCheck(e.target.checked)}
            aria-describedby="identity-help"
          />
          Identity check (with the candidate’s consent)
        </label>
        <p id="identity-help" className="muted">
          The candidate’s browser compares the face at the start with the face later on, on the
          device; only a similarity number is sent. The candidate must agree before joining.
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create interview'}
        </button>
      </form>
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {created && (
        <section className="panel" aria-labelledby="links-heading">
          <h2 id="links-heading">Interview links</h2>
          <p>Save these now: for security they are not shown again.</p>
          <LinkField label="Candidate link" value={created.candidate_url} />
          <LinkField label="Interviewer link" value={created.interviewer_url} />
        </section>
      )}
      <section className="panel" aria-labelledby="list-heading">
        <h2 id="list-heading">Interviews</h2>
        <form className="search" role="search" onSubmit={onSearch} aria-label="Find interviews">
          <label>
            Candidate reference
            <input
              value={filters.candidate_hash}
              onChange={(e) => setFilters({ ...filters, candidate_hash: e.target.value })}
              maxLength={128}
              pattern="[A-Za-z0-9_:.\-]*"
            />
          </label>
          <label>
            Status
            <select
              value={filters.status}
              onChange={(e) =>
                setFilters({ ...filters, status: e.target.value as Filters['status'] })
              }
            >
              <option value="">Any</option>
              <option value="created">Not started</option>
              <option value="live">In progress</option>
              <option value="completed">Completed</option>
            </select>
          </label>
          <button type="submit">Search</button>
        </form>
        {list === null ? (
          <p className="muted">Enter the API key and search to see interviews.</p>
        ) : (
          <>
            <p role="status" className="muted">
              {list.length === 0
                ? 'No interviews match.'
                : `Showing ${list.length} interview${list.length === 1 ? '' : 's'}${nextCursor === null ? '' : ' (more below)'}, newest first.`}
            </p>
            {list.length > 0 && <InterviewTable list={list} />}
            {nextCursor !== null && (
              <button type="button" onClick={() => void load(apiKey, filters, nextCursor)}>
                Show more
              </button>
            )}
          </>
        )}
      </section>
    </main>
  );
}

function InterviewTable({ list }: { list: readonly InterviewListItem[] }) {
  return (
    <table className="interview-table">
      <thead>
        <tr>
          <th scope="col">Candidate</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Score</th>
          <th scope="col">Report</th>
        </tr>
      </thead>
      <tbody>
        {list.map((i) => (
          <tr key={i.id}>
            <td data-label="Candidate" className="hash">
              {i.candidate_hash}
            </td>
            <td data-label="Status">
              <span className={`status status-${i.status}`}>{STATUS_WORD[i.status]}</span>
            </td>
            <td data-label="Created">{new Date(i.created_at).toLocaleString()}</td>
            <td data-label="Score">{i.final_score ?? '—'}</td>
            <td data-label="Report">
              {i.status === 'created' ? (
                <span className="muted">—</span>
              ) : (
                <a href={`/interviews/${i.id}`} aria-label={`Report for ${i.candidate_hash}`}>
                  {i.status === 'completed' ? 'Open report' : 'Open (in progress)'}
                </a>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LinkField({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const statusId = useId();
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      // Outside a secure context there is no clipboard API: the field is selected instead.
      setCopied('failed');
    }
    setTimeout(() => setCopied('idle'), 4000);
  };
  return (
    <div className="link-field">
      <label>
        {label}
        <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <div className="link-actions">
        <button
          type="button"
          onClick={() => void copy()}
          aria-label={`Copy ${label.toLowerCase()}`}
          aria-describedby={statusId}
        >
          Copy
        </button>
        <a href={value} target="_blank" rel="noreferrer">
          Open
        </a>
        <span id={statusId} role="status" className="copy-status">
          {copied === 'copied' && 'Copied'}
          {copied === 'failed' && 'Copy failed: select the link and copy it by hand'}
        </span>
      </div>
    </div>
  );
}
