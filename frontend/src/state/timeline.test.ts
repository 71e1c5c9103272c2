import { describe, expect, it } from 'vitest';
import { created, deleted, edited, message, ROOM } from '../test/fixtures';
import { applyEvent, emptyTimeline, withLatestPage, withOlderPage } from './timeline';

function loaded(seqs: number[], knownLastSeq = 0) {
  return withLatestPage(
    emptyTimeline(ROOM),
    seqs.map((seq) => message(seq)),
    true,
    knownLastSeq,
  );
}

describe('room timeline', () => {
  it('takes its cursor from the newest message of the first page, or the room lastSeq if higher', () => {
    expect(loaded([3, 4, 5]).cursor).toBe(5);
    expect(loaded([3, 4, 5], 8).cursor).toBe(8);
  });

  it('applies the next event and ignores one it has already seen (dedupe by seq)', () => {
    const first = applyEvent(loaded([1, 2]), created(3));
    expect(first.outcome).toBe('applied');
    expect(first.timeline.cursor).toBe(3);

    const again = applyEvent(first.timeline, created(3));
    expect(again.outcome).toBe('duplicate');
    expect(again.timeline).toBe(first.timeline);
    expect(again.timeline.messages.map((m) => m.seq)).toEqual([1, 2, 3]);

    expect(applyEvent(first.timeline, created(2)).outcome).toBe('duplicate');
  });

  it('reports a gap instead of applying an event past cursor + 1', () => {
    const timeline = loaded([1, 2]);
    const result = applyEvent(timeline, created(5));
    expect(result.outcome).toBe('gap');
    expect(result.timeline.cursor).toBe(2);
    expect(result.timeline.messages).toHaveLength(2);
  });

  it('never shows a message twice when its created event replays one already in the page', () => {
    // Page fetched when the room was at seq 2, but event 3 (an edit) raced ahead of it.
    const timeline = withLatestPage(emptyTimeline(ROOM), [message(1), message(2)], false, 1);
    const result = applyEvent(timeline, created(2));
    expect(result.outcome).toBe('duplicate');
    const replayed = applyEvent(withLatestPage(emptyTimeline(ROOM), [message(1)], false, 0), created(1));
    expect(replayed.timeline.messages).toHaveLength(1);
  });

  it('replaces an edited message and marks a deleted one', () => {
    const original = message(1);
    let timeline = loaded([1]);
    timeline = applyEvent(timeline, edited(2, original, 'fixed typo')).timeline;
    expect(timeline.messages).toHaveLength(1);
    expect(timeline.messages[0]?.text).toBe('fixed typo');
    expect(timeline.messages[0]?.editedAt).toBeDefined();

    timeline = applyEvent(timeline, deleted(3, original)).timeline;
    expect(timeline.messages[0]?.deleted).toBe(true);
    expect(timeline.messages[0]?.text).toBe('');
    expect(timeline.cursor).toBe(3);
  });

  it('prepends older pages without moving the cursor', () => {
    const timeline = withOlderPage(loaded([51, 52]), [message(49), message(50)], false);
    expect(timeline.messages.map((m) => m.seq)).toEqual([49, 50, 51, 52]);
    expect(timeline.cursor).toBe(52);
    expect(timeline.hasMore).toBe(false);
  });
});
