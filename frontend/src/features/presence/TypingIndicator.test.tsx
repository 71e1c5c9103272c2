import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { describeTypists, TypingIndicator } from './TypingIndicator';

const person = (name: string) => ({ id: `u-${name}`, username: name.toLowerCase(), displayName: name });

describe('TypingIndicator', () => {
  it('names one or two typists and counts more as several', () => {
    expect(describeTypists([])).toBe('');
    expect(describeTypists([person('Ada')])).toBe('Ada is typing…');
    expect(describeTypists([person('Ada'), person('Bo')])).toBe('Ada and Bo are typing…');
    expect(describeTypists([person('Ada'), person('Bo'), person('Cy')])).toBe('Several people are typing…');
  });

  it('is a polite live region that stays in place when nobody types', () => {
    const { rerender } = render(<TypingIndicator typists={[person('Ada')]} />);
    expect(screen.getByTestId('typing-indicator')).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByTestId('typing-indicator')).toHaveTextContent('Ada is typing…');
    rerender(<TypingIndicator typists={[]} />);
    expect(screen.getByTestId('typing-indicator')).toBeEmptyDOMElement();
  });
});
