import type { Flag } from '../../../shared/detection/flag';
import type { EventKind } from '../../../shared/protocol/integrity-event';
import type { Policy } from '../../../shared/policy/policy';
import { countsTowardScore } from '../../../shared/scoring/score-engine';
import type { ScoreContribution } from '../../../shared/scoring/score-result';

const MS_PER_MINUTE = 60_000;

/**
 * Points each flag costs, from the score's per-kind contributions: a kind's points (after its
 * cap, recovery and the total cap, exactly as the score engine computed them) are shared among
 * that kind's counted flags in proportion to each flag's own weight (points + per-minute cost,
 * after the camera-off grace). The shares add up to the kind's contribution, so the list and the
 * breakdown never disagree. Flags that count nothing get 0; a flag absent from the map was not
 * known to the score (it started after the score's instant).
 */
export function flagPoints(
  flags: readonly Flag[],
  contributions: readonly ScoreContribution[],
  policy: Policy,
): Map<string, number> {
  const kindPoints = new Map<EventKind, number>();
  for (const c of contributions) if (c.type === 'penalty') kindPoints.set(c.kind, c.points);
  const weightOf = (f: Flag): number => {
    const p = policy.scoring.penalties[f.kind];
    const grace = f.kind === 'camera_muted' ? policy.scoring.cameraOffGraceMs : 0;
    if (grace > 0 && f.durationMs <= grace) return 0;
    return p.points + (p.pointsPerMinute * (f.durationMs - grace)) / MS_PER_MINUTE;
  };
  const totals = new Map<EventKind, number>();
  for (const f of flags) {
    if (!countsTowardScore(f)) continue;
    totals.set(f.kind, (totals.get(f.kind) ?? 0) + weightOf(f));
  }
  const result = new Map<string, number>();
  for (const f of flags) {
    const total = totals.get(f.kind) ?? 0;
    const points = kindPoints.get(f.kind) ?? 0;
    result.set(f.flagId, countsTowardScore(f) && total > 0 ? (points * weightOf(f)) / total : 0);
  }
  return result;
}

/** "−3.2" with a real minus sign, "0" for nothing. */
export function formatFlagPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '0';
  return rounded < 0 ? `−${Math.abs(rounded).toFixed(1)}` : rounded.toFixed(1);
}
