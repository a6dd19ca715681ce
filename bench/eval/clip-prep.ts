import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR } from '../../scripts/repo-paths';
import { SCENARIOS_DIR } from './labels';

const execFileAsync = promisify(execFile);

export const SCENARIO_Y4M_DIR = path.join(CACHE_DIR, 'scenarios');

/**
 * Chromium's fake camera reads Y4M only: converts `<name>.mp4` once, with the README's own
 * command (yuv420p, same size and rate), into .cache/scenarios/<name>-<mp4 bytes>.y4m. The size
 * in the name makes a replaced clip convert again; the write goes through a temporary file so a
 * run killed half-way leaves nothing that looks finished.
 */
export async function prepareClip(name: string, dir = SCENARIOS_DIR): Promise<string> {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`bad clip name ${JSON.stringify(name)}`);
  const mp4 = path.join(dir, `${name}.mp4`);
  const { size } = await stat(mp4).catch((error: unknown) => {
    throw new Error(`clip ${mp4} not found: ${(error as Error).message}`, { cause: error });
  });
  const y4m = path.join(SCENARIO_Y4M_DIR, `${name}-${size}.y4m`);
  if (existsSync(y4m)) return y4m;
  await mkdir(SCENARIO_Y4M_DIR, { recursive: true });
  const temp = `${y4m}.partial-${process.pid}`;
  try {
    await execFileAsync(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-nostdin',
        '-y',
        '-i',
        mp4,
        '-pix_fmt',
        'yuv420p',
        '-f',
        'yuv4mpegpipe',
        temp,
      ],
      { maxBuffer: 10 * 1024 * 1024 },
    );
  } catch (error) {
    await rm(temp, { force: true });
    const hint =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? ' (install ffmpeg: apt-get install ffmpeg)'
        : '';
    throw new Error(`could not convert ${mp4}${hint}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await rename(temp, y4m);
  return y4m;
}
