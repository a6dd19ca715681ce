import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Hex sha256 of a file, streamed so large binaries do not sit in memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sha256Buffer(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** GETs a URL (following redirects, as GitHub release assets need) into memory. */
export async function downloadBuffer(url: string, timeoutMs = 300_000): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new Error(`could not download ${url}: ${describe(error)}`, { cause: error });
  }
  if (!response.ok) throw new Error(`could not download ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Writes through a temporary sibling and renames, so an interrupted setup never leaves a
 * truncated file at the final path that a later run would mistake for a finished one.
 */
export async function writeFileAtomic(file: string, data: Uint8Array, mode = 0o644): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.partial-${process.pid}`;
  try {
    await writeFile(temp, data, { mode });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
