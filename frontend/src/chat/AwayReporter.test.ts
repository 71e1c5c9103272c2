import type { ClientFrame } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ActivitySource, AwayReporter } from './AwayReporter';

function fakeActivity() {
  let listener: (() => void) | undefined;
  const source: ActivitySource = {
    onActivity: (next) => {
      listener = next;
      return () => {
        listener = undefined;
      };
    },
  };
  return { source, input: () => listener?.(), listening: () => listener !== undefined };
}

describe('AwayReporter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports away after the idle time without input, online at the next input, once each', () => {
    const sent: ClientFrame[] = [];
    const activity = fakeActivity();
    const reporter = new AwayReporter((frame) => sent.push(frame) > 0, activity.source, {
      idleMs: 60_000,
      checkMs: 10_000,
    });
    reporter.ready();
    expect(sent).toEqual([{ type: 'presence', status: 'online' }]);
    vi.advanceTimersByTime(50_000);
    activity.input(); // still here
    vi.advanceTimersByTime(50_000);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(20_000);
    expect(sent.at(-1)).toEqual({ type: 'presence', status: 'away' });
    vi.advanceTimersByTime(60_000);
    expect(sent).toHaveLength(2); // said once
    activity.input();
    activity.input();
    expect(sent.slice(2)).toEqual([{ type: 'presence', status: 'online' }]);
    // A new socket is told the current state.
    vi.advanceTimersByTime(70_000);
    reporter.ready();
    expect(sent.at(-1)).toEqual({ type: 'presence', status: 'away' });
    reporter.stop();
    expect(activity.listening()).toBe(false);
  });
});
