import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Absolute path of the repository root; scripts run from anywhere (npm, vitest, tsx). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Git-ignored directory for everything setup builds or downloads. */
export const CACHE_DIR = path.join(REPO_ROOT, '.cache');

/** The LiveKit config shared by `npm start` and the e2e harness. */
export const LIVEKIT_CONFIG_PATH = path.join(REPO_ROOT, 'livekit.yaml');
