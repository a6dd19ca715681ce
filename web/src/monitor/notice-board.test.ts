import { describe, expect, it } from 'vitest';
import type { EventReport } from './events';
import { createNoticeBoard } from './notice-board';

function report(
  kind: EventReport['kind'],
  phase: EventReport['phase'],
  eventId = `${kind}_1`,
  details: EventReport['details'] = {},
): EventReport {
  return {
    eventId,
    kind,
    phase,
    startMs: 0,
    endMs: phase === 'end' ? 10 : null,
    durationMs: phase === 'end' ? 10 : null,
    details,
  };
}

describe('notice board', () => {
  it('shows an open condition while it lasts and drops a tracking condition once it ends', () => {
    const board = createNoticeBoard(5000);
    board.observe(report('looking_away', 'start'), 0);
    expect(board.current(100)).toEqual([
      { kind: 'looking_away', message: 'Please look at the screen' },
    ]);
    board.observe(report('looking_away', 'end'), 200);
    expect(board.current(300)).toEqual([]);
  });

  it('keeps an ended page signal a few seconds, saying it was recorded', () => {
    const board = createNoticeBoard(5000);
    board.observe(report('page_hidden', 'start'), 0);
    board.observe(report('page_hidden', 'end'), 1000);
    expect(board.current(2000)).toEqual([
      { kind: 'page_hidden', message: 'The interview tab was hidden — this was recorded' },
    ]);
    expect(board.current(6000)).toEqual([]);
  });

  it('shows instants for the hold time only, and never the trivial ones', () => {
    const board = createNoticeBoard(5000);
    board.observe(report('paste', 'instant'), 0);
    board.observe(report('context_menu', 'instant'), 0);
    expect(board.current(4999).map((n) => n.kind)).toEqual(['paste']);
    expect(board.current(5000)).toEqual([]);
  });

  it('words poor quality by its cause', () => {
    const board = createNoticeBoard();
    board.observe(report('poor_quality', 'start', 'q1', { issue: 'covered' }), 0);
    expect(board.current(0)).toEqual([
      { kind: 'poor_quality', message: 'The camera seems to be covered' },
    ]);
  });

  it('lists one notice per kind in the protocol order', () => {
    const board = createNoticeBoard();
    board.observe(report('no_face', 'start'), 0);
    board.observe(report('camera_muted', 'start', 'a'), 0);
    board.observe(report('camera_muted', 'start', 'b'), 0);
    expect(board.current(0).map((n) => n.kind)).toEqual(['camera_muted', 'no_face']);
  });
});
