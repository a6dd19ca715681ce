import { formatClock } from './format';

/** Both charts share one drawing frame, so their axes line up when shown one above the other. */
const W = 600;
const PAD = { left: 32, right: 8, top: 8, bottom: 22 };

/** A time axis from `t0` to `t1` (ms) and a value axis from 0 to `yMax`, in SVG units. */
export interface ChartFrame {
  width: number;
  height: number;
  t0: number;
  t1: number;
  x: (tMs: number) => number;
  y: (value: number) => number;
  /** Top of the plotting area and its height (for bands spanning the whole value range). */
  plotTop: number;
  plotHeight: number;
}

/** A frame `height` units tall over [t0, max(t1, t0 + 1 s)]: a one-point chart still has a width. */
export function chartFrame(height: number, t0: number, lastMs: number, yMax: number): ChartFrame {
  const t1 = Math.max(t0 + 1000, lastMs);
  const plotHeight = height - PAD.top - PAD.bottom;
  return {
    width: W,
    height,
    t0,
    t1,
    x: (t) => PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right),
    y: (v) => PAD.top + (1 - v / yMax) * plotHeight,
    plotTop: PAD.top,
    plotHeight,
  };
}

/** An SVG path through the points in order. */
export function linePath(
  frame: ChartFrame,
  points: readonly { tMs: number; value: number }[],
): string {
  return points
    .map(
      (p, i) => `${i === 0 ? 'M' : 'L'}${frame.x(p.tMs).toFixed(1)},${frame.y(p.value).toFixed(1)}`,
    )
    .join(' ');
}

/** Horizontal grid lines labelled with their values, and the time axis' two ends. */
export function ChartAxes({ frame, ticks }: { frame: ChartFrame; ticks: readonly number[] }) {
  return (
    <>
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.left} x2={W - PAD.right} y1={frame.y(v)} y2={frame.y(v)} className="grid" />
          <text x={PAD.left - 4} y={frame.y(v) + 4} textAnchor="end" className="axis">
            {v}
          </text>
        </g>
      ))}
      <text x={PAD.left} y={frame.height - 4} className="axis">
        0:00
      </text>
      <text x={W - PAD.right} y={frame.height - 4} textAnchor="end" className="axis">
        {formatClock(frame.t1 - frame.t0)}
      </text>
    </>
  );
}
