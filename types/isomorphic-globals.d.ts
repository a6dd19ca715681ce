/**
 * The few globals that browsers, workers and Node all provide (WHATWG Encoding), declared for
 * tsconfig.shared.json only, which type-checks shared/ without the DOM or Node's types.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
