import { describe, expect, test } from 'vitest';
import { flagEvidence } from './flag-evidence';

describe('flagEvidence', () => {
  test('a look-away names its peak angles and frames', () => {
    expect(
      flagEvidence({
        kind: 'looking_away',
        details: {
          peakYawDeg: -47.2,
          peakPitchDeg: 6.1,
          peakGazeDeg: -3,
          frames: 52,
          bridgedFrames: 3,
        },
      }),
    ).toBe(
      'head turned up to -47°, tilted up to +6°, eyes up to -3°, 52 frames, 3 dropouts bridged',
    );
  });

  test('a second person names the faces counted', () => {
    expect(flagEvidence({ kind: 'multiple_faces', details: { maxFaceCount: 3, frames: 20 } })).toBe(
      'up to 3 faces, 20 frames',
    );
  });

  test('a covered camera names how much the picture collapsed', () => {
    expect(
      flagEvidence({
        kind: 'camera_covered',
        details: { luminanceDrop: 0.9, sharpnessDrop: 0.97 },
      }),
    ).toBe('picture 90 % darker, 97 % less sharp');
  });

  test('kinds without measured evidence, and bad values, give nothing', () => {
    expect(flagEvidence({ kind: 'paste', details: { length: 20 } })).toBe('');
    expect(flagEvidence({ kind: 'multiple_faces', details: { maxFaceCount: 'x' } })).toBe('');
  });
});
