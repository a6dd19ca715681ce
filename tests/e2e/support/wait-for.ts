export class WaitForTimeoutError extends Error {
  override readonly name = 'WaitForTimeoutError';
}

type Falsy = undefined | false | null;

/**
 * Polls `condition` until it returns something other than undefined/false/null, and returns that.
 * Tests wait on observable state instead of sleeping, so they are as fast as the system allows and
 * fail with `message` (plus the last error the condition threw, if any) instead of hanging.
 */
export async function waitFor<T>(
  condition: () => Promise<T | Falsy> | T | Falsy,
  timeoutMs: number,
  message: string,
  pollIntervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false && value !== null) return value;
      lastError = undefined;
    } catch (error) {
      // A condition may throw while the thing it watches is still coming up (page navigating, etc.).
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new WaitForTimeoutError(
        `timed out after ${timeoutMs} ms waiting for ${message}${detail}`,
        {
          cause: lastError,
        },
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(pollIntervalMs, Math.max(0, deadline - Date.now()))),
    );
  }
}
