import type { Message } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me, meRef, message, sam } from '../../test/fixtures';
import { MessageList } from '../timeline/MessageList';

function renderMessage(msg: Message) {
  const onToggleReaction = vi.fn();
  render(
    <MessageList
      roomId="r-general"
      roomName="general"
      me={me}
      messages={[msg]}
      pending={[]}
      loaded
      hasMore={false}
      loadingOlder={false}
      resolveUrl={(path) => path}
      onEdit={vi.fn(async () => true)}
      onDelete={vi.fn()}
      onRetry={vi.fn()}
      onDiscard={vi.fn()}
      onOpenImage={vi.fn()}
      onLoadOlder={vi.fn()}
      onToggleReaction={onToggleReaction}
    />,
  );
  return onToggleReaction;
}

const reacted = message(1, {
  reactions: [
    { emoji: '👍', count: 2, users: [sam, meRef] },
    { emoji: '🎉', count: 1, users: [sam] },
  ],
});

describe('reaction chips', () => {
  it('shows each emoji with its count, pressed when one is mine, and who reacted', () => {
    renderMessage(reacted);
    const chips = screen.getAllByTestId('reaction-chip');
    // Drawn as Twemoji images whose alt is the emoji itself.
    expect(chips.map((chip) => chip.querySelector('img.emoji')?.getAttribute('alt'))).toEqual(['👍', '🎉']);
    expect(chips[0]?.querySelector('img.emoji')).toHaveAttribute(
      'src',
      expect.stringMatching(/\/1f44d\.svg$/),
    );
    const [thumbs, party] = chips as [HTMLElement, HTMLElement];
    expect(thumbs).toHaveAccessibleName('👍 2');
    expect(thumbs).toHaveAttribute('aria-pressed', 'true');
    expect(thumbs).toHaveAccessibleDescription('You and Sam Okafor reacted with 👍');
    expect(party).toHaveAttribute('aria-pressed', 'false');
    expect(party).toHaveAccessibleDescription('Sam Okafor reacted with 🎉');
  });

  it('toggles the emoji of a chip when it is clicked', async () => {
    const onToggle = renderMessage(reacted);
    await userEvent.click(screen.getByRole('button', { name: '🎉 1' }));
    expect(onToggle).toHaveBeenCalledWith(reacted, '🎉');
    await userEvent.click(screen.getByRole('button', { name: '👍 2' }));
    expect(onToggle).toHaveBeenLastCalledWith(reacted, '👍');
  });

  it('draws no chips for a message without reactions, nor for a deleted one', () => {
    renderMessage(message(2));
    expect(screen.queryByRole('list', { name: 'Reactions' })).toBeNull();
  });

  it('hides the reactions of a deleted message', () => {
    renderMessage({ ...reacted, deleted: true, text: '' });
    expect(screen.queryAllByTestId('reaction-chip')).toEqual([]);
    expect(screen.queryByRole('button', { name: 'Add reaction' })).toBeNull();
  });
});

describe('add reaction', () => {
  it('opens a quick row from the toolbar; picking reacts, closes and returns focus', async () => {
    const onToggle = renderMessage(message(3));
    const toolbar = screen.getByRole('toolbar', { name: 'Actions' });
    const trigger = within(toolbar).getByRole('button', { name: 'Add reaction' });
    await userEvent.click(trigger);
    expect(trigger).toHaveAttribute('aria-expanded', 'true');
    const popover = screen.getByRole('dialog', { name: 'Add reaction' });
    expect(
      within(popover)
        .getAllByRole('button')
        .map((b) => b.querySelector('img.emoji')?.getAttribute('alt') ?? b.textContent),
    ).toEqual(['👍', '❤️', '😂', '🎉', '😮', '🙏', '']);
    expect(within(popover).getByRole('button', { name: 'React with thumbs up' })).toHaveFocus();
    await userEvent.click(within(popover).getByRole('button', { name: 'React with party popper' }));
    expect(onToggle).toHaveBeenCalledWith(expect.objectContaining({ id: 'm-3' }), '🎉');
    expect(screen.queryByRole('dialog', { name: 'Add reaction' })).toBeNull();
    expect(trigger).toHaveFocus();
  });

  it('closes on Escape with focus back on its button, and on a click outside', async () => {
    renderMessage(message(4));
    const trigger = screen.getByRole('button', { name: 'Add reaction' });
    await userEvent.click(trigger);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(trigger).toHaveFocus();

    await userEvent.click(trigger);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    await userEvent.click(document.body);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('moves along the quick row with the arrow keys and reacts with Enter', async () => {
    const onToggle = renderMessage(message(5));
    await userEvent.click(screen.getByRole('button', { name: 'Add reaction' }));
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(screen.getByRole('button', { name: 'React with face with tears of joy' })).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}{ArrowLeft}{ArrowLeft}');
    expect(screen.getByRole('button', { name: 'More emoji' })).toHaveFocus();
    await userEvent.keyboard('{Home}{Enter}');
    expect(onToggle).toHaveBeenCalledWith(expect.objectContaining({ id: 'm-5' }), '👍');
  });

  it('shows which quick emoji are already mine', async () => {
    renderMessage(reacted);
    const toolbar = screen.getByRole('toolbar', { name: 'Actions' });
    await userEvent.click(within(toolbar).getByRole('button', { name: 'Add reaction' }));
    expect(screen.getByRole('button', { name: 'React with thumbs up' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(screen.getByRole('button', { name: 'React with party popper' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );
  });
});
