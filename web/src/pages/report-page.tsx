import { useEffect, useState } from 'react';
import type { Report } from '../../../shared/api/interview-api';
import { EVENT_LABEL, type EventKind } from '../../../shared/protocol/integrity-event';
import type { ScoreContribution, Stat } from '../../../shared/scoring/score-result';
import { api } from '../api/api-client';
import { FlagList } from '../components/flag-list';
import { FlagTimeline } from '../components/flag-timeline';
import { IdentityTrace } from '../components/identity-trace';
import { formatDuration } from '../components/format';
import { ScoreChart } from '../components/score-chart';
import { ErrorMessage, Progress } from '../components/status-message';

const SIGNAL_LABEL: Record<string, string> = {
  focusConsistency: 'Focus consistency',
  gazeStability: 'Gaze stability',
  calmHead: 'Calm head movement',
};

/** An ISO instant in the reader's locale, with the ISO form kept as the machine-readable value. */
function formatInstant(iso: string | null) {
  if (iso === null) return '—';
  return <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;
}

/** One decimal, without the "-0.0" a tiny negative would print. */
function formatPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  return (rounded === 0 ? 0 : rounded).toFixed(1);
}

function contributionLabel(c: ScoreContribution): string {
  if (c.type === 'share') return 'Share of the interview affected';
  return c.type === 'signal' ? (SIGNAL_LABEL[c.signal] ?? c.signal) : EVENT_LABEL[c.kind];
}

function contributionDetail(c: ScoreContribution): string {
  switch (c.type) {
    case 'signal':
      return c.value === null
        ? 'not measured'
        : `${Math.round(c.value * 100)}% (weight ${c.weight})`;
    case 'penalty':
      return `${c.count} × ${formatDuration(c.durationMs)} total${c.uncappedPoints < c.points ? ` (capped from ${c.uncappedPoints.toFixed(1)})` : ''}`;
    case 'share':
      return `${Math.round(c.share * 100)}% of the interview (${formatDuration(c.affectedMs)})`;
  }
}

function StatRow({
  label,
  stat,
  unit = '',
  scale = 1,
}: {
  label: string;
  stat: Stat;
  unit?: string;
  scale?: number;
}) {
  const f = (v: number): string => `${(v * scale).toFixed(scale === 100 ? 0 : 1)}${unit}`;
  return (
    <tr>
      <th scope="row">{label}</th>
      {stat ? (
        <>
          <td>{f(stat.mean)}</td>
          <td>{f(stat.p10)}</td>
          <td>{f(stat.p90)}</td>
          <td>{stat.samples}</td>
        </>
      ) : (
        <td colSpan={4}>not measured</td>
      )}
    </tr>
  );
}

export function ReportPage({ token }: { token: string }) {
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.report(token).then(setReport, (e: unknown) => setError((e as Error).message));
  }, [token]);

  if (error)
    return (
      <main className="page narrow">
        <h1>Interview report</h1>
        <ErrorMessage>{error}</ErrorMessage>
      </main>
    );
  if (!report)
    return (
      <main className="page narrow">
        <Progress label="Loading the report…" value={null} max={null} />
      </main>
    );
  const summary = report.interview_summary;
  const endMs = report.start_ms + (summary?.duration_ms ?? 0);
  return (
    <main className="page wide">
      <h1>Interview report</h1>
      <p className="notice-banner">
        {summary?.notice ??
          'Attention and integrity signals for a human reviewer; not a hiring decision.'}
      </p>
      <dl className="facts">
        <dt>Candidate</dt>
        <dd>{report.candidate_hash}</dd>
        <dt>Status</dt>
        <dd>{report.status}</dd>
        <dt>Started</dt>
        <dd>{formatInstant(report.started_at)}</dd>
        <dt>Completed</dt>
        <dd>{formatInstant(report.completed_at)}</dd>
      </dl>
      {!summary && <p>The summary is written when the interview is completed.</p>}
      {summary && (
        <>
          <section className="panel" aria-labelledby="score-heading">
            <h2 id="score-heading">Final score: {summary.final_score} / 100</h2>
            <p>
              Measured {Math.round(summary.coverage * 100)}% of{' '}
              {formatDuration(summary.duration_ms)}
              {summary.coverage < 0.5
                ? ' — low coverage: much of the interview could not be measured, so the score rests on little evidence.'
                : '.'}
            </p>
            <table>
              <caption>What moved the score</caption>
              <thead>
                <tr>
                  <th scope="col">Signal</th>
                  <th scope="col">Points</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">Start</th>
                  <td>100</td>
                  <td />
                </tr>
                {summary.score_breakdown.map((c) => (
                  <tr key={c.type === 'signal' ? c.signal : c.type === 'penalty' ? c.kind : c.type}>
                    <th scope="row">{contributionLabel(c)}</th>
                    <td>{formatPoints(c.points)}</td>
                    <td>{contributionDetail(c)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <ScoreChart points={report.score_timeline} startMs={report.start_ms} />
          <FlagTimeline flags={report.flags} startMs={report.start_ms} endMs={endMs} />
          <IdentityTrace
            identity={report.identity}
            flags={report.flags}
            startMs={report.start_ms}
          />
          <section className="panel" aria-labelledby="metrics-heading">
            <h2 id="metrics-heading">Metrics</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col">Mean</th>
                  <th scope="col">10th pct</th>
                  <th scope="col">90th pct</th>
                  <th scope="col">Samples</th>
                </tr>
              </thead>
              <tbody>
                <StatRow
                  label="Focus consistency"
                  stat={summary.metrics.focus_consistency}
                  unit="%"
                  scale={100}
                />
                <StatRow
                  label="Gaze stability"
                  stat={summary.metrics.gaze_stability}
                  unit="%"
                  scale={100}
                />
                <StatRow
                  label="Head movement (°/s)"
                  stat={summary.metrics.head_movement_deg_per_s}
                />
                <StatRow
                  label="Face presence"
                  stat={summary.metrics.face_presence}
                  unit="%"
                  scale={100}
                />
                <StatRow label="Analysis rate (frames/s)" stat={summary.metrics.analysed_fps} />
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="counts-heading">
            <h2 id="counts-heading">Flags by type</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Count</th>
                  <th scope="col">Total duration</th>
                  <th scope="col">Confirmed</th>
                  <th scope="col">Dismissed</th>
                </tr>
              </thead>
              <tbody>
                {(Object.entries(summary.flags) as [EventKind, (typeof summary.flags)[EventKind]][])
                  .filter(([, v]) => v.count > 0)
                  .map(([kind, v]) => (
                    <tr key={kind}>
                      <th scope="row">{EVENT_LABEL[kind]}</th>
                      <td>{v.count}</td>
                      <td>{formatDuration(v.total_duration_ms)}</td>
                      <td>{v.confirmed}</td>
                      <td>{v.dismissed}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        </>
      )}
      <FlagList
        flags={report.flags}
        startMs={report.start_ms}
        points={report.interview_summary?.flag_points}
      />
      <p>
        <a href={`/api/links/${token}/report`} download="interview-report.json">
          Download the report as JSON
        </a>
        {report.rejected_packets > 0 &&
          ` · ${report.rejected_packets} malformed packets were refused.`}
      </p>
    </main>
  );
}
