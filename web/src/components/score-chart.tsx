import type { ScorePoint } from '../../../shared/scoring/score-result';
import { ChartAxes, chartFrame, linePath } from './chart-frame';
import { formatClock } from './format';

const H = 160;

/** Score over time as an SVG line; coverage under it as a light band. */
export function ScoreChart({
  points,
  startMs,
  title = 'Score over time',
}: {
  points: readonly ScorePoint[];
  startMs: number;
  title?: string;
}) {
  if (points.length === 0) {
    return (
      <figure className="chart">
        <figcaption>{title}</figcaption>
        <p className="muted">No scored samples yet.</p>
      </figure>
    );
  }
  const frame = chartFrame(H, startMs, points[points.length - 1]?.tMs ?? startMs, 100);
  const { x, y, t0, t1 } = frame;
  const line = linePath(
    frame,
    points.map((p) => ({ tMs: p.tMs, value: p.score })),
  );
  const coverage =
    `M${x(points[0]?.tMs ?? t0).toFixed(1)},${y(0)} ` +
    points.map((p) => `L${x(p.tMs).toFixed(1)},${y(p.coverage * 100).toFixed(1)}`).join(' ') +
    ` L${x(points[points.length - 1]?.tMs ?? t1).toFixed(1)},${y(0)} Z`;
  const last = points[points.length - 1];
  const min = Math.min(...points.map((p) => p.score));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${frame.width} ${H}`}
        role="img"
        aria-label={`${title}: latest ${last?.score ?? '–'}, lowest ${min}, over ${formatClock(t1 - t0)}`}
      >
        <ChartAxes frame={frame} ticks={[0, 50, 100]} />
        <path d={coverage} className="coverage-area" />
        <path d={line} className="score-line" fill="none" />
      </svg>
      <p className="legend">
        <span className="swatch swatch-score" /> score <span className="swatch swatch-coverage" />{' '}
        share of time measured
      </p>
    </figure>
  );
}
