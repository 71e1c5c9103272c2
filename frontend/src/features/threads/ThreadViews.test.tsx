import type { Message, ThreadPage } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, meRef, message, sam } from '../../test/fixtures';
import { MessageList } from '../timeline/MessageList';
import { ThreadPanel } from './ThreadPanel';

const actions = {
  onEdit: vi.fn(async () => true),
  onDelete: vi.fn(),
  onRetry: vi.fn(),
  onDiscard: vi.fn(),
  onOpenImage: vi.fn(),
  resolveUrl: (path: string) => path,
};

function renderList(messages: Message[], onOpenThread = vi.fn()) {
  render(
    <MessageList
      roomId="r-general"
      roomName="general"
      me={me}
      messages={messages}
      pending={[]}
      loaded
      hasMore={false}
      loadingOlder={false}
      onLoadOlder={vi.fn()}
      onOpenThread={onOpenThread}
      unreadReplies={new Map([['m-1', 2]])}
      {...actions}
    />,
  );
  return onOpenThread;
}

describe('threads in the timeline', () => {
  const root = message(1, {
    text: 'Shall we ship?',
    thread: { replyCount: 3, lastReplyAt: new Date().toISOString(), lastRepliers: [sam, meRef] },
  });

  it('hides thread-only replies, shows the root’s summary, and quotes a reply also sent to the room', async () => {
    const onOpenThread = renderList([
      root,
      message(2, { text: 'only in the thread', threadId: 'm-1', replyTo: 'm-1' }),
      message(3, { text: 'also in the room', threadId: 'm-1', replyTo: 'm-1', alsoToRoom: true }),
    ]);
    const rows = screen.getAllByTestId('message');
    expect(rows.map((row) => row.getAttribute('data-seq'))).toEqual(['1', '3']);
    const summary = within(rows[0] as HTMLElement).getByTestId('thread-summary');
    expect(summary).toHaveTextContent('3 replies');
    expect(summary).toHaveTextContent('last reply just now');
    expect(summary).toHaveTextContent('SO');
    expect(within(summary).getByTestId('thread-unread')).toHaveTextContent('2 new');
    expect(within(rows[1] as HTMLElement).getByTestId('reply-quote')).toHaveTextContent(
      'Sam OkaforShall we ship?',
    );

    await userEvent.click(summary);
    expect(onOpenThread).toHaveBeenCalledWith(root);
    await userEvent.click(within(rows[1] as HTMLElement).getByRole('button', { name: 'Reply in thread' }));
    expect(onOpenThread).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'm-3' }));
  });

  it('opens the thread from a quote whose original is not in the timeline', async () => {
    const onOpenThread = renderList([
      message(5, { text: 'quoting a thread reply', threadId: 'm-1', replyTo: 'm-4', alsoToRoom: true }),
    ]);
    await userEvent.click(screen.getByTestId('reply-quote'));
    expect(onOpenThread).toHaveBeenCalledWith(expect.objectContaining({ id: 'm-5' }));
  });
});

describe('ThreadPanel', () => {
  it('shows the root and its replies, fetched and live, and sends with "Also send to"', async () => {
    const fetched: ThreadPage = {
      root: message(1, { text: 'the root' }),
      replies: [message(2, { text: 'an older reply', threadId: 'm-1' })],
      hasMore: false,
    };
    const loadThread = vi.fn(async () => fetched);
    const onSend = vi.fn();
    const onSeen = vi.fn();
    render(
      <ThreadPanel
        rootId="m-1"
        roomLabel="#general"
        me={me}
        messages={[
          message(3, { text: 'a live reply', threadId: 'm-1', author: meRef, alsoToRoom: true }),
          message(4, { text: 'elsewhere' }),
        ]}
        pending={[]}
        offline={false}
        loadThread={loadThread}
        onSend={onSend}
        onClose={vi.fn()}
        onSeen={onSeen}
        {...actions}
      />,
    );
    const panel = await screen.findByTestId('thread-panel');
    await within(panel).findByText('the root');
    const replies = within(screen.getByRole('log', { name: 'Replies' })).getAllByTestId('message');
    expect(replies.map((row) => row.textContent)).toEqual([
      expect.stringContaining('an older reply'),
      expect.stringContaining('a live reply'),
    ]);
    expect(screen.getByTestId('thread-reply-count')).toHaveTextContent('2 replies');
    expect(screen.getAllByText('Also sent to #general')).toHaveLength(1);
    expect(onSeen).toHaveBeenLastCalledWith('m-1', 2);
    expect(loadThread).toHaveBeenCalledWith('m-1');

    const box = screen.getByRole('textbox', { name: 'Reply' });
    expect(box).toHaveFocus();
    const also = screen.getByRole('checkbox', { name: 'Also send to #general' });
    await userEvent.click(also);
    await userEvent.type(box, 'count me in{Enter}');
    expect(onSend).toHaveBeenCalledWith('count me in', true);
    expect(also).not.toBeChecked();
    await userEvent.type(box, 'just here{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('just here', false);
  });

  it('closes with its button and with Escape', async () => {
    const onClose = vi.fn();
    render(
      <ThreadPanel
        rootId="m-1"
        roomLabel="#general"
        me={me}
        messages={[message(1)]}
        pending={[]}
        offline={false}
        loadThread={async () => ({ root: message(1), replies: [], hasMore: false })}
        onSend={vi.fn()}
        onClose={onClose}
        {...actions}
      />,
    );
    await screen.findByTestId('thread-reply-count');
    await userEvent.click(screen.getByRole('button', { name: 'Close thread' }));
    await userEvent.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalledTimes(2);
  });
});
