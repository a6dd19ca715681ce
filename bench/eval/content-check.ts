import { readFile } from 'node:fs/promises';

/**
 * Checks the clip clock against the pictures: the camera probe notes each frame's mean luma
 * (a 32x24 thumbnail), and the Y4M gives every file frame's mean luma; the offset (in frames)
 * that makes the two series agree best says how far the clock's frame index is off. Clips whose
 * brightness never changes give a flat series and no clear answer: then `clear` is false.
 */
export interface ContentCheck {
  /** File frame - clock frame index at the best agreement (0 = the clock is right). */
  offsetFrames: number;
  /** Mean absolute difference of the mean-removed series at that offset (luma levels). */
  error: number;
  /** The best offset beats the second best by a clear margin. */
  clear: boolean;
}

/** Mean luma per frame of a yuv420p Y4M, in full-range levels (limited-range Y' stretched). */
export async function y4mFrameLumas(file: string): Promise<number[]> {
  const data = await readFile(file);
  const headerEnd = data.indexOf(0x0a);
  const header = data.subarray(0, headerEnd).toString('latin1');
  const w = Number(/ W(\d+)/.exec(header)?.[1]);
  const h = Number(/ H(\d+)/.exec(header)?.[1]);
  if (!header.startsWith('YUV4MPEG2') || !(w > 0 && h > 0)) throw new Error(`${file}: not a Y4M`);
  const frameBytes = (w * h * 3) / 2;
  const lumas: number[] = [];
  let pos = headerEnd + 1;
  while (pos < data.length) {
    const lineEnd = data.indexOf(0x0a, pos);
    if (lineEnd < 0) break;
    pos = lineEnd + 1;
    if (pos + w * h > data.length) break;
    let sum = 0;
    for (let i = pos; i < pos + w * h; i++) sum += data[i] as number;
    lumas.push(((sum / (w * h) - 16) * 255) / 219);
    pos += frameBytes;
  }
  return lumas;
}

/** Pure: the best offset between probed lumas (at clock indices) and the file's lumas. */
export function bestContentOffset(
  probedLumas: readonly number[],
  frameIndex: readonly number[],
  fileLumas: readonly number[],
  maxOffset = 15,
): ContentCheck | null {
  const scores: { offset: number; error: number }[] = [];
  for (let offset = -maxOffset; offset <= maxOffset; offset++) {
    const pairs: [number, number][] = [];
    probedLumas.forEach((luma, i) => {
      const k = (frameIndex[i] ?? -1) + offset;
      const file = fileLumas[k];
      if (luma >= 0 && k >= 0 && file !== undefined) pairs.push([luma, file]);
    });
    if (pairs.length < 30) continue;
    const ma = pairs.reduce((s, [a]) => s + a, 0) / pairs.length;
    const mb = pairs.reduce((s, [, b]) => s + b, 0) / pairs.length;
    const error = pairs.reduce((s, [a, b]) => s + Math.abs(a - ma - (b - mb)), 0) / pairs.length;
    scores.push({ offset, error });
  }
  scores.sort((a, b) => a.error - b.error);
  const [best, second] = scores;
  if (best === undefined) return null;
  return {
    offsetFrames: best.offset,
    error: best.error,
    clear: second === undefined || second.error > best.error * 1.2 + 0.05,
  };
}
