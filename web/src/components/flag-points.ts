/**
 * Points each flag cost, as the score engine computed them (ScoreResult.flagPoints live,
 * interview_summary.flag_points in the report): each counted flag's exact part of its kind's
 * capped, recovered penalty and of the share term, so the list and the breakdown never disagree.
 * A flag absent from the map was not known to the score (it started after the score's instant).
 */
export function flagPoints(
  byFlagId: Readonly<Record<string, number>> | undefined,
): Map<string, number> {
  return new Map(Object.entries(byFlagId ?? {}));
}

/** "−3.2" with a real minus sign, "0" for nothing. */
export function formatFlagPoints(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '0';
  return rounded < 0 ? `−${Math.abs(rounded).toFixed(1)}` : rounded.toFixed(1);
}
