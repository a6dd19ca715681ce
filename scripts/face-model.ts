import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CACHE_DIR } from './repo-paths';
import { downloadBuffer, sha256Buffer, sha256File, writeFileAtomic } from './download';
import type { Log } from './setup-log';

/** MediaPipe Face Landmarker, float16 v1: the exact bundle the tracking code and its thresholds were tuned on. */
export const FACE_MODEL_URL =
  'https://storage.googleapis.com/mediapipe-models/face_landmarker/face_landmarker/float16/1/face_landmarker.task';
export const FACE_MODEL_SHA256 = '64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff';

/** The server serves the model from here (config MODELS_DIR defaults to `.cache/models`). */
export const FACE_MODEL_PATH = path.join(CACHE_DIR, 'models', 'face_landmarker.task');

export class FaceModelError extends Error {
  override readonly name = 'FaceModelError';
}

/**
 * Puts the verified model at FACE_MODEL_PATH. A local copy named by `FACE_LANDMARKER_MODEL` wins
 * (offline machines, CI); otherwise it is downloaded from MediaPipe. Either way a file whose
 * sha256 differs is refused, since a different model silently shifts every measurement.
 */
export async function ensureFaceModel(
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (existsSync(FACE_MODEL_PATH)) {
    if ((await sha256File(FACE_MODEL_PATH)) === FACE_MODEL_SHA256) {
      log(`face model: present at ${FACE_MODEL_PATH} (sha256 ok)`);
      return FACE_MODEL_PATH;
    }
    log(`face model: ${FACE_MODEL_PATH} has the wrong sha256; replacing it`);
  }

  const localCopy = env.FACE_LANDMARKER_MODEL;
  let data: Buffer;
  if (localCopy !== undefined && localCopy !== '') {
    log(`face model: copying from FACE_LANDMARKER_MODEL=${localCopy}`);
    try {
      data = await readFile(localCopy);
    } catch (error) {
      throw new FaceModelError(
        `cannot read FACE_LANDMARKER_MODEL=${localCopy}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    checkHash(data, `FACE_LANDMARKER_MODEL=${localCopy}`);
  } else {
    log(`face model: downloading ${FACE_MODEL_URL}`);
    try {
      data = await downloadBuffer(FACE_MODEL_URL);
    } catch (error) {
      throw new FaceModelError(
        `${(error as Error).message}\n  Without internet access, set FACE_LANDMARKER_MODEL=/path/to/face_landmarker.task ` +
          `(sha256 ${FACE_MODEL_SHA256}) and run \`npm run setup\` again.`,
        { cause: error },
      );
    }
    checkHash(data, FACE_MODEL_URL);
  }
  await writeFileAtomic(FACE_MODEL_PATH, data);
  log(`face model: ready at ${FACE_MODEL_PATH} (${data.length} bytes, sha256 ok)`);
  return FACE_MODEL_PATH;
}

function checkHash(data: Uint8Array, source: string): void {
  const actual = sha256Buffer(data);
  if (actual !== FACE_MODEL_SHA256) {
    throw new FaceModelError(
      `${source} is not the expected Face Landmarker model: sha256 ${actual}, expected ${FACE_MODEL_SHA256} ` +
        '(float16 v1 from MediaPipe); refusing to use it',
    );
  }
}
