import type { ClipLabels } from './labels';
import type { LabelledInterval } from './matching';

/**
 * What a clip's labels say the product should raise, as intervals in clip seconds.
 *
 * `expected_flags` give no_face, multiple_faces, looking_away and reading directly. Identity is an
 * event in the labels (`identity_change` whenever the face differs from the last one seen), but
 * the product compares with the person enrolled at the start and keeps `identity_changed` open
 * until that person is back. So the expected identity interval runs from the first frame showing
 * someone other than the first identity to the first frame showing that identity again (or the
 * clip's end); only its onset is judged (EDGE_BOUNDS_S).
 */
export function expectedIntervals(labels: ClipLabels): LabelledInterval[] {
  const out: LabelledInterval[] = [];
  for (const f of labels.expected_flags) {
    if (
      f.flag === 'no_face' ||
      f.flag === 'multiple_faces' ||
      f.flag === 'looking_away' ||
      f.flag === 'reading'
    )
      out.push({ kind: f.flag, startS: f.start, endS: f.end });
    else throw new Error(`unknown expected flag kind ${f.flag} in ${labels.clip}`);
  }
  if (labels.events.some((e) => e.event === 'identity_change')) {
    const enrolled = labels.intervals.find((i) => i.identity !== null)?.identity ?? null;
    let start: number | null = null;
    for (const interval of labels.intervals) {
      if (interval.identity === null) continue;
      if (interval.identity !== enrolled && start === null) start = interval.start;
      if (interval.identity === enrolled && start !== null) {
        out.push({ kind: 'identity_changed', startS: start, endS: interval.start });
        start = null;
      }
    }
    if (start !== null)
      out.push({ kind: 'identity_changed', startS: start, endS: labels.duration_s });
  }
  return out.sort((a, b) => a.startS - b.startS);
}
