/** A minimal server-sent-events frame splitter (pure): enough for the live-state stream. */

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Splits buffered text into complete events (blank-line separated) and the unfinished rest.
 * `data:` lines are joined with newlines; the default event name is `message`.
 */
export function splitSse(buffer: string): { events: SseEvent[]; rest: string } {
  const normalised = buffer.replace(/\r\n/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: SseEvent[] = [];
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}
