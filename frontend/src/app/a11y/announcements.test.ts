import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { message, sam } from '../../test/fixtures';
import { describeConnectionChange, describeMessage, ThrottledAnnouncer } from './announcements';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada' };

describe('describeMessage', () => {
  it('reads out the author and the text, cut when long', () => {
    expect(describeMessage(message(1, { author: ada, text: 'hello' }))).toBe('Ada: hello');
    const long = describeMessage(message(1, { author: ada, text: 'x'.repeat(500) }));
    expect(long.length).toBeLessThan(160);
    expect(long.endsWith('…')).toBe(true);
  });

  it('names the file of a message without text', () => {
    const attachment = {
      id: 'f',
      fileName: 'report.pdf',
      contentType: 'application/pdf',
      size: 1,
      url: '/f',
    };
    expect(describeMessage(message(1, { author: ada, text: '', attachment }))).toBe('Ada sent report.pdf');
  });
});

describe('ThrottledAnnouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says the first message at once and sums up a burst at the end of the interval', () => {
    const said: string[] = [];
    const announcer = new ThrottledAnnouncer((text) => said.push(text), 3000);
    announcer.add([message(1, { author: ada, text: 'hello' })]);
    expect(said).toEqual(['Ada: hello']);

    announcer.add([message(2, { author: sam, text: 'one' })]);
    announcer.add([message(3, { author: sam, text: 'two' }), message(4, { author: ada, text: 'three' })]);
    expect(said).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    expect(said).toEqual(['Ada: hello', '3 new messages. Latest, Ada: three']);

    vi.advanceTimersByTime(10_000);
    announcer.add([message(5, { author: sam, text: 'later' })]);
    expect(said.at(-1)).toBe('Sam Okafor: later');
  });

  it('says nothing more once stopped', () => {
    const said: string[] = [];
    const announcer = new ThrottledAnnouncer((text) => said.push(text), 3000);
    announcer.add([message(1, { author: ada, text: 'a' })]);
    announcer.add([message(2, { author: ada, text: 'b' })]);
    announcer.stop();
    vi.advanceTimersByTime(5000);
    expect(said).toEqual(['Ada: a']);
  });
});

describe('describeConnectionChange', () => {
  it('is quiet while first connecting, then names each change', () => {
    expect(describeConnectionChange('connecting', 'connected', false)).toBeNull();
    expect(describeConnectionChange('connected', 'connecting', true)).toBe('Reconnecting…');
    expect(describeConnectionChange('connecting', 'offline', true)).toBe('Offline');
    expect(describeConnectionChange('offline', 'connected', true)).toBe('Connected');
    expect(describeConnectionChange('connected', 'connected', true)).toBeNull();
  });
});
