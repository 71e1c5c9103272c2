import { describe, expect, it, vi } from 'vitest';
import { ChatEvents } from './ChatEvents';

describe('ChatEvents', () => {
  it('calls the listeners of an event with its payload, in the order they subscribed', () => {
    const events = new ChatEvents();
    const calls: string[] = [];
    events.on('roomLeft', ({ roomId }) => calls.push(`first ${roomId}`));
    events.on('roomLeft', ({ roomId }) => calls.push(`second ${roomId}`));
    events.on('roomChosen', ({ roomId }) => calls.push(`chosen ${roomId}`));

    events.emit('roomLeft', { roomId: 'r1' });

    expect(calls).toEqual(['first r1', 'second r1']);
  });

  it('stops calling a listener once it unsubscribed', () => {
    const events = new ChatEvents();
    const listener = vi.fn();
    const unsubscribe = events.on('sessionEnded', listener);

    events.emit('sessionEnded');
    unsubscribe();
    events.emit('sessionEnded');

    expect(listener).toHaveBeenCalledTimes(1);
  });
});
