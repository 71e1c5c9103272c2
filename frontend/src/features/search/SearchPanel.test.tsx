import type { Message, SearchResponse, SearchResult } from '@parley/protocol';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { type SearchApi, SearchPanel } from './SearchPanel';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada Lovelace' };

const result = (id: string, text: string): SearchResult => ({
  message: {
    id,
    roomId: 'r-ops',
    seq: 7,
    author: ada,
    text,
    createdAt: '2026-03-01T10:00:00.000Z',
  } satisfies Message,
  room: { id: 'r-ops', slug: 'ops', name: 'ops', kind: 'public' },
});

function renderPanel(api: SearchApi) {
  const onOpen = vi.fn();
  const onClose = vi.fn();
  render(<SearchPanel api={api} onOpen={onOpen} onClose={onClose} />);
  return { user: userEvent.setup(), onOpen, onClose };
}

describe('SearchPanel', () => {
  it('searches on Enter and shows each result with its room, author and the matches marked', async () => {
    const response: SearchResponse = {
      results: [result('m1', 'see <b>Example.com/path</b> now')],
      hasMore: false,
      terms: ['exam'],
    };
    const api = { search: vi.fn(async () => response) };
    const { user, onOpen } = renderPanel(api);
    const field = screen.getByRole('searchbox', { name: 'Search messages' });
    expect(field).toHaveFocus();
    await user.type(field, 'exam{Enter}');
    expect(api.search).toHaveBeenCalledWith('exam');

    const item = await screen.findByTestId('search-result');
    expect(item).toHaveTextContent('ops');
    expect(item).toHaveTextContent('Ada Lovelace');
    // The text is text: the tags in it are shown, never made into elements.
    expect(item).toHaveTextContent('see <b>Example.com/path</b> now');
    expect(item.querySelector('b')).toBeNull();
    expect([...item.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['Exam']);

    await user.click(item);
    expect(onOpen).toHaveBeenCalledWith(response.results[0]);
  });

  it("shows a result's reactions as counts and its emoji as images, inside the one button", async () => {
    const reacted = result('m9', 'ship it 🚀');
    reacted.message.reactions = [
      { emoji: '👍', count: 3, users: [ada] },
      { emoji: '🎉', count: 1, users: [ada] },
    ];
    const api = {
      search: vi.fn(
        async (): Promise<SearchResponse> => ({ results: [reacted], hasMore: false, terms: ['ship'] }),
      ),
    };
    const { user } = renderPanel(api);
    await user.type(screen.getByRole('searchbox', { name: 'Search messages' }), 'ship{Enter}');
    const item = await screen.findByTestId('search-result');
    const counts = item.querySelector('[data-testid="reaction-counts"]');
    expect(
      [...(counts?.querySelectorAll('.reaction-chip') ?? [])].map(
        (chip) => `${chip.querySelector('img.emoji')?.getAttribute('alt')} ${chip.textContent}`,
      ),
    ).toEqual(['👍 3', '🎉 1']);
    // Nothing in a result is a control of its own.
    expect(item.querySelectorAll('button, [role="button"]')).toHaveLength(0);
    expect(item.querySelector('.search-result__text img.emoji')).toHaveAttribute('alt', '🚀');
    expect(item).toHaveAccessibleName(/🚀.*👍.*3.*🎉.*1/);
  });

  it('says when nothing matches, and shows a refusal as an alert', async () => {
    const api = {
      search: vi
        .fn<SearchApi['search']>()
        .mockResolvedValueOnce({ results: [], hasMore: false, terms: ['nothing'] })
        .mockRejectedValueOnce(
          new ApiError('validation_failed', 'q Search for at least 3 characters.', { status: 400 }),
        ),
    };
    const { user } = renderPanel(api);
    const field = screen.getByRole('searchbox', { name: 'Search messages' });
    await user.type(field, 'nothing{Enter}');
    expect(await screen.findByText(/No messages match/)).toHaveTextContent('No messages match “nothing”.');

    await user.clear(field);
    await user.type(field, 'go{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(/at least 3 characters/);
  });

  it('loads older results with the cursor, and closes on Escape', async () => {
    const api = {
      search: vi
        .fn<SearchApi['search']>()
        .mockResolvedValueOnce({
          results: [result('m2', 'deploy two')],
          hasMore: true,
          nextCursor: 'm2',
          terms: ['deploy'],
        })
        .mockResolvedValueOnce({ results: [result('m1', 'deploy one')], hasMore: false, terms: ['deploy'] }),
    };
    const { user, onClose } = renderPanel(api);
    await user.type(screen.getByRole('searchbox'), 'deploy{Enter}');
    await user.click(await screen.findByRole('button', { name: 'Show older results' }));
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(2));
    expect(api.search).toHaveBeenLastCalledWith('deploy', { before: 'm2' });
    expect(screen.queryByRole('button', { name: 'Show older results' })).toBeNull();

    await user.click(screen.getByRole('searchbox'));
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
