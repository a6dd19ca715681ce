/** Progress sink for setup steps, injected so they can run quietly in tests. */
export type Log = (line: string) => void;

/** Setup's output shows up inside npm's own output, so every line says where it comes from. */
export const setupLog: Log = (line) => {
  console.log(`[setup] ${line}`);
};
