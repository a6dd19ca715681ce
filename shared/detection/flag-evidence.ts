import type { Flag } from './flag';

/**
 * What was measured behind a flag, in a few plain words for the interviewer's list and the
 * report: the peak head and eye angles of a look-away, the faces counted, how much darker a
 * covered camera went. Only what the detector put in the flag's details; empty when it has none.
 */
export function flagEvidence(flag: Pick<Flag, 'kind' | 'details'>): string {
  const d = flag.details;
  const num = (key: string): number | null => {
    const value = d[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  const deg = (value: number): string => `${value > 0 ? '+' : ''}${String(Math.round(value))}°`;
  const parts: string[] = [];
  switch (flag.kind) {
    case 'looking_away': {
      const yaw = num('peakYawDeg');
      const pitch = num('peakPitchDeg');
      const gaze = num('peakGazeDeg');
      if (yaw !== null) parts.push(`head turned up to ${deg(yaw)}`);
      if (pitch !== null) parts.push(`tilted up to ${deg(pitch)}`);
      if (gaze !== null) parts.push(`eyes up to ${deg(gaze)}`);
      break;
    }
    case 'multiple_faces': {
      const faces = num('maxFaceCount');
      if (faces !== null) parts.push(`up to ${String(faces)} faces`);
      break;
    }
    case 'camera_covered': {
      const drop = num('luminanceDrop');
      const sharp = num('sharpnessDrop');
      if (drop !== null) parts.push(`picture ${String(Math.round(drop * 100))} % darker`);
      if (sharp !== null) parts.push(`${String(Math.round(sharp * 100))} % less sharp`);
      break;
    }
    case 'no_face':
      break;
    default:
      return '';
  }
  const frames = num('frames');
  const bridged = num('bridgedFrames');
  if (frames !== null) {
    parts.push(
      `${String(frames)} frames${bridged !== null && bridged > 0 ? `, ${String(bridged)} dropouts bridged` : ''}`,
    );
  }
  return parts.join(', ');
}
