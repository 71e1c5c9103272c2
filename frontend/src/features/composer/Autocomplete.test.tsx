import type { UserRef } from '@parley/protocol';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Suggestion } from './autocomplete';
import { findTrigger, mentionSuggestions } from './autocomplete';
import { Composer } from './Composer';

const people: UserRef[] = [
  { id: 'u-me', username: 'me', displayName: 'Me Myself' },
  { id: 'u-ada', username: 'ada', displayName: 'Ada Lovelace' },
  { id: 'u-adam', username: 'adam', displayName: 'Adam Smith' },
  { id: 'u-bo', username: 'bo', displayName: 'Bo Jones' },
];

const smile: Suggestion = {
  key: 'emoji:smile',
  insert: '😄',
  label: ':smile:',
  detail: 'grinning face',
  emoji: '😄',
};
const smiley: Suggestion = {
  key: 'emoji:smiley',
  insert: '😃',
  label: ':smiley:',
  detail: 'smiley',
  emoji: '😃',
};

function renderComposer(extra: Partial<Parameters<typeof Composer>[0]> = {}) {
  const onSend = vi.fn();
  const onTyping = vi.fn();
  const emojiSearch = vi.fn(async (query: string) =>
    [smile, smiley].filter((e) => e.label.startsWith(`:${query}`)),
  );
  render(
    <Composer
      roomName="general"
      onSend={onSend}
      onAttach={vi.fn()}
      onTyping={onTyping}
      people={people}
      meId="u-me"
      emojiSearch={emojiSearch}
      {...extra}
    />,
  );
  return { onSend, onTyping, emojiSearch, box: screen.getByRole('textbox', { name: 'Message' }) };
}

/** Each option's label and detail (the avatar's initials left out). */
const options = () =>
  screen
    .queryAllByRole('option')
    .map((option) =>
      [...option.querySelectorAll('.suggestions__label, .suggestions__detail')]
        .map((part) => part.textContent)
        .join(' '),
    );
const selected = () =>
  screen.getAllByRole('option').find((option) => option.getAttribute('aria-selected') === 'true');

describe('completion in the composer', () => {
  it('lists members (not oneself) and @room/@here after @, narrowing as one types', async () => {
    const user = userEvent.setup();
    const { box } = renderComposer();
    await user.type(box, 'hi @');
    expect(screen.getByRole('listbox', { name: 'People' })).toBeInTheDocument();
    expect(options()).toEqual([
      'Ada Lovelace @ada',
      'Adam Smith @adam',
      'Bo Jones @bo',
      '@room Everyone in this room',
      '@here Everyone in this room',
    ]);
    await user.type(box, 'ad');
    expect(options()).toEqual(['Ada Lovelace @ada', 'Adam Smith @adam']);
    expect(box).toHaveAttribute('aria-activedescendant', selected()?.id);
  });

  it('moves with the arrows (wrapping) and inserts with Enter without sending', async () => {
    const user = userEvent.setup();
    const { box, onSend } = renderComposer();
    await user.type(box, 'hi @ad');
    await user.keyboard('{ArrowDown}');
    expect(selected()).toHaveTextContent('Adam Smith');
    await user.keyboard('{ArrowDown}');
    expect(selected()).toHaveTextContent('Ada Lovelace');
    await user.keyboard('{ArrowUp}');
    expect(selected()).toHaveTextContent('Adam Smith');
    await user.keyboard('{Enter}');
    expect(box).toHaveValue('hi @adam ');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.queryByRole('listbox')).toBeNull();
    await user.keyboard('there');
    expect(box).toHaveValue('hi @adam there');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('hi @adam there');
  });

  it('inserts with Tab, and Escape closes the list so that Enter sends', async () => {
    const user = userEvent.setup();
    const { box, onSend } = renderComposer();
    await user.type(box, '@b');
    await user.keyboard('{Tab}');
    expect(box).toHaveValue('@bo ');
    expect(box).toHaveFocus();
    await user.keyboard('@r');
    expect(box).toHaveValue('@bo @r');
    expect(options()).toEqual(['@room Everyone in this room']);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('@bo @r');
  });

  it('lists emoji by shortcode after : and two letters, and inserts the character', async () => {
    const user = userEvent.setup();
    const { box, emojiSearch } = renderComposer();
    await user.type(box, 'nice :s');
    expect(screen.queryByRole('listbox')).toBeNull(); // one letter is not enough
    await user.type(box, 'mi');
    expect(await screen.findByRole('listbox', { name: 'Emoji' })).toBeInTheDocument();
    expect(emojiSearch).toHaveBeenLastCalledWith('smi');
    expect(options()).toEqual([':smile: grinning face', ':smiley: smiley']);
    // Each drawn as its Twemoji image.
    expect(
      screen.getAllByRole('option').map((option) => option.querySelector('img.emoji')?.getAttribute('alt')),
    ).toEqual(['😄', '😃']);
    await user.keyboard('{ArrowDown}{Enter}');
    expect(box).toHaveValue('nice 😃 ');
  });

  it('chooses with the mouse too', async () => {
    const user = userEvent.setup();
    const { box } = renderComposer();
    await user.type(box, 'ask @bo');
    await user.click(screen.getByRole('option', { name: /Bo Jones/ }));
    expect(box).toHaveValue('ask @bo ');
  });

  it('finds the trigger at the caret only at a word start', () => {
    expect(findTrigger('mail ada@example', 16)).toBeNull();
    expect(findTrigger('hi @ada', 7)).toEqual({ kind: 'mention', query: 'ada', start: 3, end: 7 });
    expect(findTrigger('time 10:30', 10)).toBeNull();
    expect(mentionSuggestions('lo', people, 'u-me').map((s) => s.insert)).toEqual(['@ada']);
  });
});

describe('typing signal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('signals at most once per 3 seconds while typing, never for blank text, and again at once after sending', () => {
    vi.useFakeTimers();
    const { box, onTyping } = renderComposer();
    const type = (value: string) => fireEvent.change(box, { target: { value } });
    type('   ');
    expect(onTyping).not.toHaveBeenCalled();
    type('h');
    type('he');
    type('hel');
    expect(onTyping).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(2_900));
    type('hell');
    expect(onTyping).toHaveBeenCalledTimes(1);
    act(() => vi.advanceTimersByTime(200));
    type('hello');
    expect(onTyping).toHaveBeenCalledTimes(2);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box).toHaveValue('');
    type('n');
    expect(onTyping).toHaveBeenCalledTimes(3);
  });
});

describe('formatting hint', () => {
  it('is hidden until "Aa" is pressed, and says what markdown does', async () => {
    const user = userEvent.setup();
    renderComposer();
    const toggle = screen.getByRole('button', { name: 'Formatting help' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('list', { name: 'Formatting' })).toBeNull();
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    const hint = screen.getByRole('list', { name: 'Formatting' });
    expect(toggle).toHaveAttribute('aria-controls', hint.id);
    expect(hint).toHaveTextContent('**bold**');
    expect(hint).toHaveTextContent('> quote');
    await user.click(toggle);
    expect(screen.queryByRole('list', { name: 'Formatting' })).toBeNull();
  });
});
