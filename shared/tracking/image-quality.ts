import type { BoundingBox, ImageQuality } from './frame-features';

/**
 * Image statistics of a small grey frame (the worker downsizes the video frame to ~160x120
 * first). One pass per statistic over typed arrays, no per-pixel allocation: well under 1 ms
 * at that size.
 *
 * - luminance: mean grey level 0..255.
 * - sharpness: variance of the 4-neighbour Laplacian (4·c − up − down − left − right) over the
 *   interior pixels (Pech-Pacheco et al. 2000, the usual focus measure). Uniform or blurred images
 *   score near 0; a one-pixel checkerboard scores the maximum, 1020² ≈ 1.04e6. The figure depends
 *   on the resolution, so thresholds (policy.tracking.minSharpness) assume the ~160x120 frame.
 * - faceLuminance: mean grey level inside the face box (normalised coordinates, the same frame
 *   MediaPipe analysed), null without a box or when the box covers no whole pixel.
 */
export interface GrayFrame {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Placeholder quality for frames without pixels (see ImageQuality.measured). The values are
 * neutral (mid-grey, comfortably sharp) so that a consumer ignoring `measured` does not flag the
 * frame, but they must never be averaged.
 */
export const UNMEASURED_QUALITY: ImageQuality = {
  luminance: 128,
  sharpness: 1000,
  faceLuminance: null,
  measured: false,
};

/**
 * Grey levels (ITU-R BT.601 luma, 0..255) of an RGBA buffer such as ImageData.data, using the
 * integer weights 77/150/29 (sum 256). Alpha is ignored. Pass `out` (length ≥ width·height) to
 * reuse a buffer across frames; otherwise a new one is allocated once per call.
 */
export function rgbaToGray(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
  out?: Uint8Array,
): Uint8Array {
  const pixelCount = Math.max(0, Math.floor(width) * Math.floor(height));
  if (rgba.length < pixelCount * 4) {
    throw new RangeError(
      `rgbaToGray: ${rgba.length} bytes cannot hold ${width}x${height} RGBA pixels`,
    );
  }
  const gray = out && out.length >= pixelCount ? out : new Uint8Array(pixelCount);
  for (let i = 0, j = 0; i < pixelCount; i += 1, j += 4) {
    gray[i] =
      ((rgba[j] as number) * 77 + (rgba[j + 1] as number) * 150 + (rgba[j + 2] as number) * 29) >>
      8;
  }
  return gray;
}

/**
 * Quality statistics of a grey frame (see the file comment). A frame whose buffer does not match
 * its size returns UNMEASURED_QUALITY rather than reading out of bounds; frames smaller than 3x3
 * have no interior and a sharpness of 0.
 */
export function measureImageQuality(gray: GrayFrame, faceBox: BoundingBox | null): ImageQuality {
  const { data } = gray;
  const width = Math.floor(gray.width);
  const height = Math.floor(gray.height);
  const pixelCount = width * height;
  if (!(width > 0 && height > 0) || data.length < pixelCount) return UNMEASURED_QUALITY;

  let sum = 0;
  for (let i = 0; i < pixelCount; i += 1) sum += data[i] as number;
  const luminance = sum / pixelCount;

  let lapSum = 0;
  let lapSumSq = 0;
  let interior = 0;
  for (let y = 1; y < height - 1; y += 1) {
    const row = y * width;
    for (let x = 1; x < width - 1; x += 1) {
      const i = row + x;
      const laplacian =
        4 * (data[i] as number) -
        (data[i - 1] as number) -
        (data[i + 1] as number) -
        (data[i - width] as number) -
        (data[i + width] as number);
      lapSum += laplacian;
      lapSumSq += laplacian * laplacian;
    }
    interior += width - 2;
  }
  let sharpness = 0;
  if (interior > 0) {
    const lapMean = lapSum / interior;
    sharpness = Math.max(0, lapSumSq / interior - lapMean * lapMean);
  }

  return { luminance, sharpness, faceLuminance: meanInBox(gray, width, height, faceBox) };
}

function meanInBox(
  gray: GrayFrame,
  width: number,
  height: number,
  box: BoundingBox | null,
): number | null {
  if (box === null) return null;
  const { x, y, width: boxWidth, height: boxHeight } = box;
  if (![x, y, boxWidth, boxHeight].every(Number.isFinite)) return null;
  // Pixels whose centre lies inside the box.
  const x0 = Math.max(0, Math.round(x * width));
  const x1 = Math.min(width, Math.round((x + boxWidth) * width));
  const y0 = Math.max(0, Math.round(y * height));
  const y1 = Math.min(height, Math.round((y + boxHeight) * height));
  if (x1 <= x0 || y1 <= y0) return null;
  const { data } = gray;
  let sum = 0;
  for (let row = y0; row < y1; row += 1) {
    const offset = row * width;
    for (let col = x0; col < x1; col += 1) sum += data[offset + col] as number;
  }
  return sum / ((x1 - x0) * (y1 - y0));
}
