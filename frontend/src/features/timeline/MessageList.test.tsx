import type { Message } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../../state/outbox';
import { me, meRef, message } from '../../test/fixtures';
import { MessageList } from './MessageList';

function renderList(
  messages: Message[],
  pending: OutboxItem[] = [],
  extra: Partial<Parameters<typeof MessageList>[0]> = {},
) {
  const handlers = {
    onEdit: vi.fn(async () => true),
    onDelete: vi.fn(),
    onRetry: vi.fn(),
    onDiscard: vi.fn(),
    onOpenImage: vi.fn(),
    onLoadOlder: vi.fn(),
  };
  render(
    <MessageList
      roomId="r-general"
      roomName="general"
      me={me}
      messages={messages}
      pending={pending}
      loaded
      hasMore={false}
      loadingOlder={false}
      resolveUrl={(path) => `http://api.test${path}`}
      {...handlers}
      {...extra}
    />,
  );
  return handlers;
}

const rows = () => screen.getAllByTestId('message');

describe('MessageList', () => {
  it('renders edited and deleted messages', () => {
    renderList([
      message(1, { text: 'new wording', editedAt: '2025-01-01T12:05:00.000Z' }),
      message(2, { text: '', deleted: true }),
    ]);
    const [edited, removed] = rows();
    expect(edited).toHaveAttribute('data-seq', '1');
    expect(edited).toHaveTextContent('new wording');
    expect(edited).toHaveTextContent('(edited)');
    expect(removed).toHaveAttribute('data-seq', '2');
    expect(removed).toHaveTextContent('message deleted');
  });

  it('renders an image attachment as a sized preview that opens the full image', async () => {
    const handlers = renderList([
      message(1, {
        text: '',
        attachment: {
          id: 'f1',
          fileName: 'cat.png',
          contentType: 'image/png',
          size: 2048,
          url: '/files/f1',
          thumbnailUrl: '/files/f1/thumbnail',
          width: 1200,
          height: 800,
        },
      }),
    ]);
    const image = screen.getByRole('img', { name: 'cat.png' });
    expect(image).toHaveAttribute('src', 'http://api.test/files/f1/thumbnail');
    expect(image).toHaveAttribute('width', '360');
    expect(image).toHaveAttribute('height', '240');
    await userEvent.setup().click(image);
    expect(handlers.onOpenImage).toHaveBeenCalledWith({ src: 'http://api.test/files/f1', alt: 'cat.png' });
  });

  it('renders other files as a card with size and a download link', () => {
    renderList([
      message(1, {
        text: 'minutes attached',
        attachment: {
          id: 'f2',
          fileName: 'minutes.pdf',
          contentType: 'application/pdf',
          size: 1_572_864,
          url: '/files/f2',
        },
      }),
    ]);
    const row = rows()[0] as HTMLElement;
    expect(within(row).queryByRole('img')).toBeNull();
    expect(row).toHaveTextContent('minutes.pdf');
    expect(row).toHaveTextContent('1.5 MB');
    expect(within(row).getByRole('link', { name: 'Download minutes.pdf' })).toHaveAttribute(
      'href',
      'http://api.test/files/f2',
    );
  });

  it('marks own messages with their delivery status and offers edit, delete and retry', async () => {
    const user = userEvent.setup();
    const mine = message(1, { author: meRef, text: 'mine' });
    const handlers = renderList(
      [mine, message(2, { text: 'theirs' })],
      [
        {
          localId: 'a',
          idempotencyKey: 'a',
          roomId: 'r-general',
          kind: 'message',
          text: 'on its way',
          status: 'queued',
          createdAt: mine.createdAt,
        },
        {
          localId: 'b',
          idempotencyKey: 'b',
          roomId: 'r-general',
          kind: 'message',
          text: 'stuck',
          status: 'failed',
          error: 'The server is busy.',
          createdAt: mine.createdAt,
        },
      ],
    );
    const [sent, theirs, pending, failed] = rows() as HTMLElement[];
    expect(sent).toHaveAttribute('data-status', 'sent');
    expect(theirs).not.toHaveAttribute('data-status');
    expect(within(theirs as HTMLElement).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(pending).toHaveAttribute('data-status', 'pending');
    expect(pending).not.toHaveAttribute('data-seq');
    expect(failed).toHaveAttribute('data-status', 'failed');
    expect(failed).toHaveTextContent('The server is busy.');

    await user.click(within(failed as HTMLElement).getByRole('button', { name: 'Retry' }));
    expect(handlers.onRetry).toHaveBeenCalledWith('b');

    await user.click(within(sent as HTMLElement).getByRole('button', { name: 'Delete' }));
    expect(handlers.onDelete).toHaveBeenCalledWith(mine);

    await user.click(within(sent as HTMLElement).getByRole('button', { name: 'Edit' }));
    const editor = screen.getByRole('textbox', { name: 'Edit text' });
    await user.clear(editor);
    await user.type(editor, 'mine, reworded{Enter}');
    expect(handlers.onEdit).toHaveBeenCalledWith(mine, 'mine, reworded');
  });

  it('shows the receipt of the newest own messages, and says when a message waits for the connection', () => {
    const ana = { id: 'u-ana', username: 'ana', displayName: 'Ana' };
    renderList(
      [message(1, { author: meRef }), message(2), message(3, { author: meRef })],
      [
        {
          localId: 'l1',
          idempotencyKey: 'l1',
          roomId: 'r-general',
          kind: 'message',
          text: 'typed offline',
          status: 'waiting',
          createdAt: '2025-01-01T12:00:09.000Z',
        },
      ],
      {
        offline: true,
        receipts: {
          'm-1': { messageId: 'm-1', recipients: 2, delivered: 2, seenBy: [ana] },
          'm-3': { messageId: 'm-3', recipients: 2, delivered: 1, seenBy: [] },
        },
      },
    );
    const [first, other, newest, waiting] = rows();
    expect(within(newest as HTMLElement).getByTestId('receipt')).toHaveTextContent('Delivered to 1 of 2');
    expect(within(first as HTMLElement).getByTestId('receipt')).toHaveTextContent('Seen by Ana');
    expect(within(other as HTMLElement).queryByTestId('receipt')).toBeNull();
    expect(waiting).toHaveAttribute('data-status', 'pending');
    expect(waiting).toHaveTextContent('Waiting for connection');
  });
  it('moves through messages with the arrow keys, and Tab then reaches the focused one’s actions', async () => {
    const user = userEvent.setup();
    renderList([message(1), message(2, { author: meRef, text: 'mine' }), message(3)]);
    const log = screen.getByRole('log');
    await user.tab();
    expect(log).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(rows()[2]).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(rows()[1]).toHaveFocus();
    await user.keyboard('{Home}');
    expect(rows()[0]).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    expect(rows()[0]).toHaveFocus();
    await user.keyboard('{End}');
    expect(rows()[2]).toHaveFocus();
    await user.keyboard('{ArrowUp}');
    await user.tab();
    expect(within(rows()[1] as HTMLElement).getByRole('button', { name: 'Edit' })).toHaveFocus();
    // Keys typed in a message's controls stay theirs.
    await user.keyboard('{ArrowDown}');
    expect(within(rows()[1] as HTMLElement).getByRole('button', { name: 'Edit' })).toHaveFocus();
    await user.click(rows()[2] as HTMLElement);
    await user.keyboard('{Escape}');
    expect(log).toHaveFocus();
  });
});
