import type { ScorePoint } from '../../../shared/scoring/score-result';
import { formatClock } from './format';

const W = 600;
const H = 160;
const PAD = { left: 32, right: 8, top: 8, bottom: 22 };

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
  const t0 = startMs;
  const t1 = Math.max(t0 + 1000, points[points.length - 1]?.tMs ?? t0);
  const x = (t: number): number => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - v / 100) * (H - PAD.top - PAD.bottom);
  const line = points
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.tMs).toFixed(1)},${y(p.score).toFixed(1)}`)
    .join(' ');
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
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: latest ${last?.score ?? '–'}, lowest ${min}, over ${formatClock(t1 - t0)}`}
      >
        {[0, 50, 100].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.left - 4} y={y(v) + 4} textAnchor="end" className="axis">
              {v}
            </text>
          </g>
        ))}
        <path d={coverage} className="coverage-area" />
        <path d={line} className="score-line" fill="none" />
        <text x={PAD.left} y={H - 4} className="axis">
          0:00
        </text>
        <text x={W - PAD.right} y={H - 4} textAnchor="end" className="axis">
          {formatClock(t1 - t0)}
        </text>
      </svg>
      <p className="legend">
        <span className="swatch swatch-score" /> score <span className="swatch swatch-coverage" />{' '}
        share of time measured
      </p>
    </figure>
  );
}
