/** Same-origin folder with blazeface, facemesh and faceres (`.json` + `.bin`), see static-routes. */
export const HUMAN_MODELS_PATH = '/models/human/';

/** The only model files the identity check loads, relative to HUMAN_MODELS_PATH. */
export const IDENTITY_MODEL_FILES = [
  'blazeface.json',
  'blazeface.bin',
  'facemesh.json',
  'facemesh.bin',
  'faceres.json',
  'faceres.bin',
] as const;

/** Same-origin folder with TensorFlow.js's wasm binaries (`tfjs-backend-wasm*.wasm`). */
export const TFJS_WASM_PATH = '/models/human/wasm/';
