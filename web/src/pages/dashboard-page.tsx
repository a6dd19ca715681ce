import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import type { CreateInterviewResponse, InterviewListItem } from '../../../shared/api/interview-api';
import { api } from '../api/api-client';
import { ErrorMessage } from '../components/status-message';

const KEY_STORAGE = 'live-interview.api-key';

/** Create interviews and see their status; everything here needs the API key. */
export function DashboardPage() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(KEY_STORAGE) ?? '');
  const [candidateHash, setCandidateHash] = useState('');
  const [created, setCreated] = useState<CreateInterviewResponse | null>(null);
  const [list, setList] = useState<InterviewListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async (key: string) => {
    if (!key) return;
    try {
      setList(await api.listInterviews(key));
      setError(null);
    } catch (e) {
      setList(null);
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void refresh(apiKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- first render only: typing a key must not fire a request per keystroke
  }, []);

  const onCreate = async (event: SubmitEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    sessionStorage.setItem(KEY_STORAGE, apiKey);
    try {
      setCreated(await api.createInterview(apiKey, candidateHash.trim()));
      setCandidateHash('');
      await refresh(apiKey);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="page">
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
        <button type="submit" className="primary" disabled={busy}>
          Create interview
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
      {list && (
        <section className="panel" aria-labelledby="list-heading">
          <h2 id="list-heading">Interviews</h2>
          <button type="button" onClick={() => void refresh(apiKey)}>
            Refresh
          </button>
          <table>
            <thead>
              <tr>
                <th scope="col">Candidate</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Score</th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.id}>
                  <td>{i.candidate_hash}</td>
                  <td>{i.status}</td>
                  <td>{new Date(i.created_at).toLocaleString()}</td>
                  <td>{i.final_score ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

function LinkField({ label, value }: { label: string; value: string }) {
  return (
    <div className="link-field">
      <label>
        {label}
        <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <button
        type="button"
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- navigator.clipboard is undefined outside secure contexts
        onClick={() => void navigator.clipboard?.writeText(value)}
        aria-label={`Copy ${label.toLowerCase()}`}
      >
        Copy
      </button>
      <a href={value} target="_blank" rel="noreferrer">
        Open
      </a>
    </div>
  );
}
