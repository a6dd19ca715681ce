import { EVENT_LABEL, type EventKind } from '../../../shared/protocol/integrity-event';
import type { Flag } from '../../../shared/detection/flag';
import { formatClock } from './format';

const W = 600;
const ROW = 22;
const LABEL = 170;

/** One row per flag type, a bar per flag across the interview's duration. */
export function FlagTimeline({
  flags,
  startMs,
  endMs,
}: {
  flags: readonly Flag[];
  startMs: number;
  endMs: number;
}) {
  const kinds = [...new Set(flags.map((f) => f.kind))] as EventKind[];
  if (kinds.length === 0) {
    return (
      <figure className="chart">
        <figcaption>Flag timeline</figcaption>
        <p className="muted">No flags were raised.</p>
      </figure>
    );
  }
  const span = Math.max(1000, endMs - startMs);
  const x = (t: number): number => LABEL + ((t - startMs) / span) * (W - LABEL - 8);
  const height = kinds.length * ROW + 20;
  return (
    <figure className="chart">
      <figcaption>Flag timeline</figcaption>
      <svg
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-label={`Flag timeline: ${flags.length} flags of ${kinds.length} types`}
      >
        {kinds.map((kind, row) => (
          <g key={kind}>
            <text x={4} y={row * ROW + 15} className="axis">
              {EVENT_LABEL[kind]}
            </text>
            {flags
              .filter((f) => f.kind === kind)
              .map((f) => {
                const x0 = x(f.startMs);
                const x1 = Math.max(x0 + 3, x(f.endMs ?? endMs));
                return (
                  <rect
                    key={f.flagId}
                    x={x0}
                    y={row * ROW + 4}
                    width={x1 - x0}
                    height={ROW - 8}
                    className={`bar bar-${f.category} bar-${f.review}`}
                  >
                    <title>{`${EVENT_LABEL[kind]} at ${formatClock(f.startMs - startMs)} (${f.review})`}</title>
                  </rect>
                );
              })}
          </g>
        ))}
        <text x={LABEL} y={height - 4} className="axis">
          0:00
        </text>
        <text x={W - 8} y={height - 4} textAnchor="end" className="axis">
          {formatClock(span)}
        </text>
      </svg>
    </figure>
  );
}
