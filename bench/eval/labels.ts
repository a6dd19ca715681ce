import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../../scripts/repo-paths';

/** The labelled clips live beside the project, not in it: ../shared/scenarios. */
export const SCENARIOS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'scenarios');

const SecondsSchema = z.number().min(0).max(3600);

/** Only what the evaluation reads of labels.json; unknown fields are ignored. */
const ClipLabelsSchema = z.object({
  clip: z.string().regex(/^[A-Za-z0-9_-]+\.mp4$/),
  duration_s: z.number().positive().max(3600),
  fps: z.number().positive().max(240),
  intervals: z.array(
    z.object({
      start: SecondsSchema,
      end: SecondsSchema,
      faces: z.number().int().min(0).max(20),
      identity: z.string().nullable(),
    }),
  ),
  expected_flags: z.array(z.object({ flag: z.string(), start: SecondsSchema, end: SecondsSchema })),
  events: z
    .array(z.object({ event: z.string(), at: SecondsSchema, from: z.string(), to: z.string() }))
    .default([]),
});
export type ClipLabels = z.infer<typeof ClipLabelsSchema>;

const LabelsFileSchema = z.object({ clips: z.record(z.string(), ClipLabelsSchema) });

/** Every labelled clip by name (the mp4's base name), in the file's order. */
export async function loadLabels(dir = SCENARIOS_DIR): Promise<Map<string, ClipLabels>> {
  const file = path.join(dir, 'labels.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = LabelsFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not as expected: ${parsed.error.message}`);
  return new Map(Object.entries(parsed.data.clips));
}
