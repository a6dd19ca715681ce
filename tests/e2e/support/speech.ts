import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR } from '../../../scripts/repo-paths';

const run = promisify(execFile);
const SPEECH_DIR = path.join(CACHE_DIR, 'e2e-speech');

/** One side's script: spoken lines, each after a pause of `afterSilenceS` seconds. */
export interface SpeechPart {
  afterSilenceS: number;
  text: string;
}

/**
 * A mono 48 kHz WAV of scripted speech for Chromium's fake microphone
 * (`--use-file-for-fake-audio-capture`), made with espeak-ng and sox at test time and cached by
 * name: silence, a line, silence, a line... then `tailSilenceS` of silence.
 */
export async function scriptedSpeech(
  name: string,
  parts: readonly SpeechPart[],
  tailSilenceS: number,
): Promise<string> {
  const out = path.join(SPEECH_DIR, `${name}.wav`);
  if (existsSync(out)) return out;
  const work = path.join(SPEECH_DIR, `${name}.parts`);
  await mkdir(work, { recursive: true });
  const pieces: string[] = [];
  for (const [i, part] of parts.entries()) {
    const silence = path.join(work, `silence-${String(i)}.wav`);
    await run('sox', [
      '-n',
      '-r',
      '48000',
      '-c',
      '1',
      silence,
      'trim',
      '0',
      String(part.afterSilenceS),
    ]);
    const raw = path.join(work, `line-${String(i)}-raw.wav`);
    await run('espeak-ng', ['-s', '150', '-w', raw, part.text]);
    const line = path.join(work, `line-${String(i)}.wav`);
    await run('sox', [raw, '-r', '48000', '-c', '1', line, 'gain', '-n', '-3']);
    pieces.push(silence, line);
  }
  const tail = path.join(work, 'tail.wav');
  await run('sox', ['-n', '-r', '48000', '-c', '1', tail, 'trim', '0', String(tailSilenceS)]);
  await run('sox', [...pieces, tail, out]);
  await rm(work, { recursive: true, force: true });
  return out;
}
