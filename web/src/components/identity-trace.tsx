import type { IdentityTrace as IdentityTraceData } from '../../../shared/api/interview-api';
import { DEFAULT_IDENTITY_OPTIONS } from '../../../shared/detection/identity-continuity';
import type { Flag } from '../../../shared/detection/flag';
import { ChartAxes, chartFrame, linePath } from './chart-frame';
import { formatClock } from './format';

const H = 120;

/**
 * The identity check for the interviewer (live) and the report: whether the person in the chair
 * is still the one enrolled at calibration, and the similarity trace behind it. Renders nothing
 * when the interview does not use the check.
 */
export function IdentityTrace({
  identity,
  flags,
  startMs,
}: {
  identity: IdentityTraceData | undefined;
  flags: readonly Flag[];
  startMs: number;
}) {
  if (identity?.enabled !== true) return null;
  const changes = flags.filter((f) => f.kind === 'identity_changed');
  const open = changes.find((f) => f.endMs === null);
  const measured = identity.points.filter(
    (p): p is { tMs: number; similarity: number } => p.similarity !== null,
  );
  const last = measured.at(-1);
  const status = open
    ? `A different person seems to be in the chair since ${formatClock(open.startMs - startMs)}.`
    : last === undefined
      ? 'No comparison yet: the face seen at calibration is the reference.'
      : changes.length > 0
        ? `Same person as at the start now; ${changes.length} change${changes.length === 1 ? '' : 's'} recorded.`
        : 'Same person as at the start.';

  const frame = chartFrame(H, startMs, identity.points.at(-1)?.tMs ?? startMs, 1);
  const { x, y, t0, t1 } = frame;
  const dots = measured.map((p) => (
    <circle key={p.tMs} cx={x(p.tMs)} cy={y(p.similarity)} r={2.5} className="identity-dot" />
  ));
  const line = linePath(
    frame,
    measured.map((p) => ({ tMs: p.tMs, value: p.similarity })),
  );
  const { matchThreshold, mismatchThreshold } = DEFAULT_IDENTITY_OPTIONS;
  return (
    <section className="panel" aria-labelledby="identity-trace-heading">
      <h2 id="identity-trace-heading">Identity check</h2>
      <p role="status">{status}</p>
      <figure className="chart">
        <figcaption>
          Similarity to the face at calibration (on the candidate’s device; above {matchThreshold}{' '}
          same person, below {mismatchThreshold} different)
        </figcaption>
        <svg
          viewBox={`0 0 ${frame.width} ${H}`}
          role="img"
          aria-label={`Identity similarity: ${last === undefined ? 'no comparison yet' : `latest ${last.similarity.toFixed(2)}`}, ${measured.length} comparisons`}
        >
          <ChartAxes frame={frame} ticks={[0, mismatchThreshold, matchThreshold, 1]} />
          {changes.map((f) => (
            <rect
              key={f.flagId}
              x={x(Math.max(t0, f.startMs))}
              y={frame.plotTop}
              width={Math.max(2, x(f.endMs ?? t1) - x(Math.max(t0, f.startMs)))}
              height={frame.plotHeight}
              className="identity-change"
              fill="currentColor"
              opacity={0.15}
            />
          ))}
          <path d={line} className="score-line" fill="none" />
          {dots}
        </svg>
      </figure>
    </section>
  );
}
