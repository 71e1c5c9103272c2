import type { MentionItem, MentionsResponse, Message } from '@parley/protocol';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { type MentionsApi, MentionsPanel } from './MentionsPanel';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada Lovelace' };

const item = (id: string, text: string, extra: Partial<MentionItem> = {}): MentionItem => ({
  message: {
    id,
    roomId: 'r-ops',
    seq: 7,
    author: ada,
    text,
    createdAt: '2026-03-01T10:00:00.000Z',
  } satisfies Message,
  room: { id: 'r-ops', slug: 'ops', name: 'ops', kind: 'public' },
  reason: 'mention',
  unread: false,
  permalink: `/r/ops/m/${id}`,
  ...extra,
});

function renderPanel(api: MentionsApi) {
  const onOpen = vi.fn();
  const onClose = vi.fn();
  render(<MentionsPanel api={api} onOpen={onOpen} onClose={onClose} />);
  return { user: userEvent.setup(), onOpen, onClose };
}

describe('MentionsPanel', () => {
  it('lists mentions with room, author, why, and which are unread; a click opens the permalink', async () => {
    const response: MentionsResponse = {
      items: [
        item('m2', '**hey** @bob, look at <b>this</b>', { unread: true }),
        item('m1', 'thanks', {
          reason: 'reply',
          room: { id: 'r-dm', slug: 'dm-x', name: 'Ada', kind: 'dm' },
        }),
      ],
      hasMore: false,
      unreadCount: 1,
    };
    const api = { mentions: vi.fn(async () => response) };
    const { user, onOpen } = renderPanel(api);
    expect(screen.getByRole('heading', { name: 'Mentions' })).toHaveFocus();

    const entries = await screen.findAllByTestId('mention-entry');
    expect(entries).toHaveLength(2);
    expect(screen.getByRole('heading', { name: /Mentions/ })).toHaveTextContent('1 unread');
    const [first, second] = entries as [HTMLElement, HTMLElement];
    expect(first).toHaveAttribute('href', '/r/ops/m/m2');
    expect(first).toHaveTextContent('ops');
    expect(first).toHaveTextContent('Mentioned you');
    expect(first).toHaveTextContent('Ada Lovelace');
    // Markdown marks are dropped; tags in the text stay text, never elements.
    expect(first).toHaveTextContent('hey @bob, look at <b>this</b>');
    expect(first.querySelector('b')).toBeNull();
    expect(first.querySelector('[aria-label="Unread"]')).not.toBeNull();
    expect(second).toHaveTextContent('Direct message · Ada');
    expect(second).toHaveTextContent('Replied to you');
    expect(second.querySelector('[aria-label="Unread"]')).toBeNull();

    await user.click(first);
    expect(onOpen).toHaveBeenCalledWith(response.items[0]);
  });

  it('says when there is nothing, and offers to try again after a failure', async () => {
    const api = {
      mentions: vi
        .fn<MentionsApi['mentions']>()
        .mockRejectedValueOnce(new ApiError('network_error', 'Could not reach the server.', { status: 0 }))
        .mockResolvedValueOnce({ items: [], hasMore: false, unreadCount: 0 }),
    };
    const { user } = renderPanel(api);
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the server.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Nothing for you yet')).toBeInTheDocument();
  });

  it('loads older mentions with the cursor, and closes on Escape', async () => {
    const api = {
      mentions: vi
        .fn<MentionsApi['mentions']>()
        .mockResolvedValueOnce({
          items: [item('m2', 'two')],
          hasMore: true,
          nextCursor: 'm2',
          unreadCount: 0,
        })
        .mockResolvedValueOnce({ items: [item('m1', 'one')], hasMore: false, unreadCount: 0 }),
    };
    const { user, onClose } = renderPanel(api);
    await user.click(await screen.findByRole('button', { name: 'Show older mentions' }));
    await waitFor(() => expect(screen.getAllByTestId('mention-entry')).toHaveLength(2));
    expect(api.mentions).toHaveBeenLastCalledWith({ before: 'm2' });
    expect(screen.queryByRole('button', { name: 'Show older mentions' })).toBeNull();

    screen.getAllByTestId('mention-entry')[1]?.focus();
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
