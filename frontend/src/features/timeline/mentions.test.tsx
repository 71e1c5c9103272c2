import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessageText } from './MessageText';
import { mentionsOf, mentionsUser } from './mentions';

const mentionSpans = (container: HTMLElement) =>
  [...container.querySelectorAll('span.mention')].map((span) => ({
    text: span.textContent,
    me: span.classList.contains('mention--me'),
  }));

describe('mentions in message text', () => {
  it('highlights @username, @room and @here, marking the reader’s own and room-wide ones', () => {
    const { container } = render(
      <MessageText text="hi @ada and @Bo.Jones, thanks @here. also @room!" me="bo.jones" />,
    );
    expect(mentionSpans(container)).toEqual([
      { text: '@ada', me: false },
      { text: '@Bo.Jones', me: true },
      { text: '@here', me: true },
      { text: '@room', me: true },
    ]);
  });

  it('leaves code spans, code blocks, links and e-mail addresses alone', () => {
    const text =
      'see `@ada` and\n```\n@ada in code\n```\nmail ada@example.org or [@ada](https://x.example) @bob';
    const { container } = render(<MessageText text={text} me="ada" />);
    expect(mentionSpans(container)).toEqual([{ text: '@bob', me: false }]);
    expect(container.querySelector('code')?.textContent).toBe('@ada');
    expect(container.querySelector('pre')?.textContent).toContain('@ada in code');
  });

  it('renders a mention as plain text inside a span: no HTML from the name', () => {
    const { container } = render(<MessageText text="@ada<b>x</b>" />);
    expect(container.querySelector('b')).toBeNull();
    expect(mentionSpans(container)).toEqual([{ text: '@ada', me: false }]);
  });

  it('reads who a message calls on, outside code', () => {
    expect(mentionsOf('@Ada hi @bob and @ada. `@carol` ```\n@dan\n```')).toEqual(['ada', 'bob']);
    expect(mentionsUser('ping @here', 'zed')).toBe(true);
    expect(mentionsUser('ping @zed', 'zed')).toBe(true);
    expect(mentionsUser('ping @zedd and zed@example.org', 'zed')).toBe(false);
    expect(mentionsUser('`@zed`', 'zed')).toBe(false);
  });
});
