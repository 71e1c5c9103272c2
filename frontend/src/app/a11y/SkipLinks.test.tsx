import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SkipLinks } from './SkipLinks';

describe('SkipLinks', () => {
  it('are the first Tab stops and move focus to their target', async () => {
    const user = userEvent.setup();
    render(
      <>
        <SkipLinks
          targets={[
            { label: 'Skip to messages', find: () => document.getElementById('log') },
            { label: 'Skip to composer', find: () => document.getElementById('box') },
          ]}
        />
        <button type="button">Sidebar</button>
        <div id="log">Messages</div>
        <textarea id="box" aria-label="Message" />
      </>,
    );
    await user.tab();
    expect(screen.getByRole('button', { name: 'Skip to messages' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByText('Messages')).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'Skip to composer' }));
    expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus();
  });
});
