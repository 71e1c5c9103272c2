import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';

function renderComposer() {
  const onSend = vi.fn();
  const onAttach = vi.fn();
  render(<Composer roomName="general" onSend={onSend} onAttach={onAttach} />);
  return { onSend, onAttach, box: screen.getByRole('textbox', { name: 'Message' }) };
}

describe('Composer', () => {
  it('sends on Enter and clears the box', async () => {
    const user = userEvent.setup();
    const { onSend, box } = renderComposer();
    await user.type(box, 'Hello team{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('Hello team');
    expect(box).toHaveValue('');
  });

  it('starts a new line on Shift+Enter without sending', async () => {
    const user = userEvent.setup();
    const { onSend, box } = renderComposer();
    await user.type(box, 'first line{Shift>}{Enter}{/Shift}second line');
    expect(onSend).not.toHaveBeenCalled();
    expect(box).toHaveValue('first line\nsecond line');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledExactlyOnceWith('first line\nsecond line');
  });

  it('does not send blank text', async () => {
    const user = userEvent.setup();
    const { onSend, box } = renderComposer();
    await user.type(box, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  it('hands picked files over with the typed text as caption', async () => {
    const user = userEvent.setup();
    const { onAttach, box } = renderComposer();
    await user.type(box, 'the report');
    const file = new File(['%PDF'], 'report.pdf', { type: 'application/pdf' });
    await user.upload(screen.getByLabelText('Attach file'), file);
    expect(onAttach).toHaveBeenCalledExactlyOnceWith([file], 'the report');
    expect(box).toHaveValue('');
  });
});

describe('Composer focus requests', () => {
  const props = { roomName: 'general', onSend: () => {}, onAttach: () => {} };

  it('takes focus on each new request, not before the first', () => {
    const { rerender } = render(<Composer {...props} focusRequest={0} />);
    const box = screen.getByRole('textbox', { name: 'Message' });
    expect(box).not.toHaveFocus();
    rerender(<Composer {...props} focusRequest={1} />);
    expect(box).toHaveFocus();
  });

  it('leaves focus in an open dialog', () => {
    render(
      <>
        <div role="dialog" aria-modal="true" aria-label="Settings">
          <button type="button">Save</button>
        </div>
        <Composer {...props} focusRequest={1} />
      </>,
    );
    expect(screen.getByRole('textbox', { name: 'Message' })).not.toHaveFocus();
  });
});
