/**
 * The monitor's log lines, one prefix so they can be filtered in the console. Levels follow the
 * project rule: `info` once per lifecycle transition (model loaded, calibrated, stopped), never
 * per frame; `debug` for ignored input (an unknown message, a foreign ack); `warn` when analysis
 * or delivery degrades.
 */
const PREFIX = '[monitor]';

export const monitorLog = {
  debug(message: string, fields?: Record<string, unknown>): void {
    console.debug(PREFIX, message, ...(fields ? [fields] : []));
  },
  info(message: string, fields?: Record<string, unknown>): void {
    console.info(PREFIX, message, ...(fields ? [fields] : []));
  },
  warn(message: string, fields?: Record<string, unknown>): void {
    console.warn(PREFIX, message, ...(fields ? [fields] : []));
  },
};
