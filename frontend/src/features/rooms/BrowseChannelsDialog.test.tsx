import type { Room } from '@parley/protocol';
import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BrowseChannelsDialog } from './BrowseChannelsDialog';

const room = (id: string, name: string, membership: Room['membership'] = null): Room => ({
  id,
  slug: name,
  name,
  topic: '',
  visibility: 'public',
  lastSeq: 1,
  membership,
});

describe('BrowseChannelsDialog', () => {
  it('reads the room list again when it opens, and offers rooms created since the app loaded', async () => {
    let answer: () => void = () => undefined;
    const onRefresh = vi.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    const props = { onJoin: vi.fn(async () => undefined), onRefresh, onClose: vi.fn() };
    const { rerender } = render(<BrowseChannelsDialog rooms={[room('g', 'general', 'member')]} {...props} />);
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(screen.getByText('Looking for channels…')).toBeInTheDocument();

    // The refreshed list (the store's rooms) arrives with a room created by someone else.
    rerender(
      <BrowseChannelsDialog rooms={[room('g', 'general', 'member'), room('n', 'newcomers')]} {...props} />,
    );
    answer();
    expect(await screen.findByRole('button', { name: 'Join' })).toBeInTheDocument();
    expect(screen.getByText('newcomers')).toBeInTheDocument();
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });

  it('says one is in every channel once the refresh found nothing new', async () => {
    const onRefresh = vi.fn(async () => undefined);
    render(
      <BrowseChannelsDialog
        rooms={[room('g', 'general', 'member')]}
        onJoin={vi.fn()}
        onRefresh={onRefresh}
        onClose={vi.fn()}
      />,
    );
    expect(await screen.findByText(/You are in every public channel/)).toBeInTheDocument();
  });
});
