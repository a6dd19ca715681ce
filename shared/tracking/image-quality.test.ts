import { describe, expect, test } from 'vitest';
import {
  measureImageQuality,
  rgbaToGray,
  UNMEASURED_QUALITY,
  type GrayFrame,
} from './image-quality';
import { mulberry32 } from './testing/mulberry32';

const WIDTH = 160;
const HEIGHT = 120;

function frame(pixel: (x: number, y: number) => number, width = WIDTH, height = HEIGHT): GrayFrame {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) data[y * width + x] = pixel(x, y);
  }
  return { data, width, height };
}

describe('rgbaToGray', () => {
  test.each([
    ['black', [0, 0, 0, 255], 0],
    ['white', [255, 255, 255, 255], 255],
    ['pure red', [255, 0, 0, 255], 76],
    ['pure green', [0, 255, 0, 255], 149],
    ['pure blue', [0, 0, 255, 255], 28],
    ['mid grey, transparent', [128, 128, 128, 0], 128],
  ])('maps %s to its BT.601 luma', (_name, rgba, gray) => {
    expect(rgbaToGray(new Uint8ClampedArray(rgba), 1, 1)[0]).toBe(gray);
  });

  test('converts every pixel of a frame and reuses a given buffer', () => {
    const rgba = new Uint8Array(4 * 3 * 2).map((_, i) => (i % 4 === 3 ? 255 : i * 10));
    const out = new Uint8Array(6);
    const gray = rgbaToGray(rgba, 3, 2, out);
    expect(gray).toBe(out);
    expect(Array.from(gray)).toEqual(
      [0, 1, 2, 3, 4, 5].map((p) => {
        const [r = 0, g = 0, b = 0] = rgba.subarray(p * 4, p * 4 + 3);
        return (r * 77 + g * 150 + b * 29) >> 8;
      }),
    );
  });

  test('rejects a buffer too short for its size', () => {
    expect(() => rgbaToGray(new Uint8Array(10), 2, 2)).toThrow(RangeError);
  });
});

describe('measureImageQuality', () => {
  test('a black image has luminance 0 and sharpness 0', () => {
    expect(
      measureImageQuality(
        frame(() => 0),
        null,
      ),
    ).toEqual({
      luminance: 0,
      sharpness: 0,
      faceLuminance: null,
    });
  });

  test.each([1, 128, 255])('a uniform image at %d has that luminance and no sharpness', (level) => {
    const quality = measureImageQuality(
      frame(() => level),
      null,
    );
    expect(quality.luminance).toBe(level);
    expect(quality.sharpness).toBe(0);
  });

  test('a one-pixel checkerboard has the largest sharpness, 1020²', () => {
    const quality = measureImageQuality(
      frame((x, y) => ((x + y) % 2 === 0 ? 255 : 0)),
      null,
    );
    expect(quality.luminance).toBeCloseTo(127.5, 6);
    expect(quality.sharpness).toBeCloseTo(1020 ** 2, 0);
  });

  test('a smooth gradient is far less sharp than a checkerboard of large squares', () => {
    const gradient = measureImageQuality(
      frame((x) => Math.round((x / (WIDTH - 1)) * 255)),
      null,
    );
    const squares = measureImageQuality(
      frame((x, y) => ((Math.floor(x / 8) + Math.floor(y / 8)) % 2 ? 200 : 40)),
      null,
    );
    expect(gradient.sharpness).toBeLessThan(5);
    expect(squares.sharpness).toBeGreaterThan(100 * Math.max(gradient.sharpness, 1));
  });

  test('noise is sharper than the same noise smoothed', () => {
    const random = mulberry32(7);
    const noise = frame(() => Math.floor(random() * 256));
    const smoothed = frame((x, y) => {
      let sum = 0;
      let count = 0;
      for (let dy = -2; dy <= 2; dy += 1) {
        for (let dx = -2; dx <= 2; dx += 1) {
          const sx = Math.min(WIDTH - 1, Math.max(0, x + dx));
          const sy = Math.min(HEIGHT - 1, Math.max(0, y + dy));
          sum += noise.data[sy * WIDTH + sx] ?? 0;
          count += 1;
        }
      }
      return Math.round(sum / count);
    });
    expect(measureImageQuality(noise, null).sharpness).toBeGreaterThan(
      10 * measureImageQuality(smoothed, null).sharpness,
    );
  });

  test('measures the mean luminance inside the face box', () => {
    // Bright 40x30 rectangle at (60, 45) on a dark background.
    const image = frame((x, y) => (x >= 60 && x < 100 && y >= 45 && y < 75 ? 200 : 20));
    const box = { x: 60 / WIDTH, y: 45 / HEIGHT, width: 40 / WIDTH, height: 30 / HEIGHT };
    const quality = measureImageQuality(image, box);
    expect(quality.faceLuminance).toBeCloseTo(200, 6);
    expect(quality.luminance).toBeCloseTo(20 + (180 * 1200) / (WIDTH * HEIGHT), 6);
  });

  test('a face box half outside the image averages the visible part only', () => {
    const image = frame((x) => (x < 80 ? 10 : 250));
    const quality = measureImageQuality(image, { x: 0.75, y: 0.25, width: 0.5, height: 0.5 });
    expect(quality.faceLuminance).toBe(250);
  });

  test.each([
    ['no box', null],
    ['a box outside the image', { x: 1.2, y: 0.1, width: 0.2, height: 0.2 }],
    ['a box smaller than a pixel', { x: 0.5, y: 0.5, width: 0.001, height: 0.001 }],
    ['a box with NaN', { x: Number.NaN, y: 0.1, width: 0.2, height: 0.2 }],
  ])('has no face luminance with %s', (_name, box) => {
    expect(
      measureImageQuality(
        frame(() => 90),
        box,
      ).faceLuminance,
    ).toBeNull();
  });

  test.each([
    [2, 2],
    [1, 50],
  ])('a %dx%d image has no interior and a sharpness of 0', (width, height) => {
    const quality = measureImageQuality(
      frame((x) => x * 100, width, height),
      null,
    );
    expect(quality.sharpness).toBe(0);
    expect(Number.isFinite(quality.luminance)).toBe(true);
  });

  test('a buffer smaller than its stated size is reported as unmeasured', () => {
    expect(measureImageQuality({ data: new Uint8Array(10), width: 160, height: 120 }, null)).toBe(
      UNMEASURED_QUALITY,
    );
  });
});
