import type { Message } from '@parley/protocol';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, meRef, message } from '../../test/fixtures';
import { MessageList } from './MessageList';

const handlers = () => ({
  onEdit: vi.fn(async () => true),
  onDelete: vi.fn(),
  onRetry: vi.fn(),
  onDiscard: vi.fn(),
  onOpenImage: vi.fn(),
  onLoadOlder: vi.fn(),
});

function list(messages: Message[], readUpToSeq?: number) {
  return (
    <MessageList
      roomId="r-general"
      roomName="general"
      me={me}
      messages={messages}
      pending={[]}
      loaded
      hasMore={false}
      loadingOlder={false}
      resolveUrl={(path) => path}
      readUpToSeq={readUpToSeq}
      {...handlers()}
    />
  );
}

/** jsdom lays nothing out: give the scroller a size and a position, then tell it it scrolled. */
function scrollTo(
  scroller: HTMLElement,
  { top, height, viewport }: { top: number; height: number; viewport: number },
) {
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, value: height });
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: viewport });
  scroller.scrollTop = top;
  fireEvent.scroll(scroller);
}

const scrollerOf = () => screen.getByRole('log').parentElement as HTMLElement;

describe('reading a busy room', () => {
  it('draws "New messages" above the first message of someone else after the read cursor', () => {
    render(list([message(1), message(2), message(3, { author: meRef }), message(4), message(5)], 2));
    const divider = screen.getByText('New messages');
    const rows = screen.getAllByTestId('message');
    // Seq 3 is one's own: the line goes above seq 4.
    expect(rows[3]).toHaveAttribute('data-seq', '4');
    expect(divider.parentElement?.nextElementSibling).toBe(rows[3]);
  });

  it('draws no line when everything was read, or nothing was ever read', () => {
    const { rerender } = render(list([message(1), message(2)], 2));
    expect(screen.queryByText('New messages')).toBeNull();
    rerender(list([message(1), message(2)], 0));
    expect(screen.queryByText('New messages')).toBeNull();
  });

  it('offers "Jump to latest" when scrolled up, counting the messages of others that came in below', async () => {
    const first = [message(1), message(2), message(3)];
    const { rerender } = render(list(first));
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();

    act(() => scrollTo(scrollerOf(), { top: 0, height: 2000, viewport: 500 }));
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeInTheDocument();

    rerender(list([...first, message(4), message(5, { author: meRef }), message(6)]));
    const jump = screen.getByRole('button', { name: 'Jump to latest 2 new messages' });
    expect(jump).toHaveTextContent('2 new');

    await userEvent.setup().click(jump);
    expect(scrollerOf().scrollTop).toBe(2000);
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
  });
});
