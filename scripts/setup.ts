/**
 * `npm install` runs this (postinstall) to fetch what the product needs besides node_modules:
 * the LiveKit server binary and the MediaPipe face model, both under the git-ignored `.cache/`.
 * Idempotent: when both are present and verified it only checks them (well under a second).
 */
import { ensureFaceModel } from './face-model';
import { ensureLiveKitBinary } from './livekit-install';
import { setupLog } from './setup-log';

async function main(): Promise<void> {
  const started = Date.now();
  await ensureLiveKitBinary(setupLog);
  await ensureFaceModel(setupLog);
  setupLog(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`[setup] failed: ${message}`);
  process.exit(1);
});
