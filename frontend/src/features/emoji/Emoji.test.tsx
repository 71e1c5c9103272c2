import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Emoji, EmojiText } from './Emoji';

describe('Emoji', () => {
  it('is an image of our origin whose alt is the emoji', () => {
    const { container } = render(<Emoji emoji="👍🏽" />);
    const image = container.querySelector('img.emoji');
    expect(image).toHaveAttribute('alt', '👍🏽');
    expect(image).toHaveAttribute('src', expect.stringMatching(/^\/emoji\/[\d.]+\/1f44d-1f3fd\.svg$/));
  });

  it('falls back to the character when its image cannot load', () => {
    const { container } = render(<Emoji emoji="🫩" />);
    fireEvent.error(container.querySelector('img') as HTMLImageElement);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('.emoji--text')).toHaveTextContent('🫩');
  });

  it('tries the image again when it is given another emoji', () => {
    const { container, rerender } = render(<Emoji emoji="🫩" />);
    fireEvent.error(container.querySelector('img') as HTMLImageElement);
    rerender(<Emoji emoji="🎉" />);
    expect(container.querySelector('img.emoji')).toHaveAttribute('alt', '🎉');
  });
});

describe('EmojiText', () => {
  it('keeps the text and draws each emoji as an image', () => {
    const { container } = render(
      <p>
        <EmojiText text="go 🇯🇵 team 1️⃣" />
      </p>,
    );
    const p = container.querySelector('p') as HTMLElement;
    expect([...p.querySelectorAll('img')].map((img) => img.alt)).toEqual(['🇯🇵', '1️⃣']);
    expect(p.textContent).toBe('go  team ');
  });

  it('is the text alone when it has no emoji', () => {
    const { container } = render(<EmojiText text="just words #1" />);
    expect(container.innerHTML).toBe('just words #1');
  });
});
