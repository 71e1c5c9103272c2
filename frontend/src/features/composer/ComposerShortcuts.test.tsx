import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';

function renderComposer(onEditLast = vi.fn(() => true)) {
  const onAttach = vi.fn();
  render(<Composer roomName="general" onSend={vi.fn()} onAttach={onAttach} onEditLast={onEditLast} />);
  return { onEditLast, onAttach, box: screen.getByRole('textbox', { name: 'Message' }) };
}

describe('Composer shortcuts', () => {
  it('edits the last message on Up arrow in an empty box, and not while something is typed', async () => {
    const user = userEvent.setup();
    const { onEditLast, box } = renderComposer();
    await user.click(box);
    await user.keyboard('{ArrowUp}');
    expect(onEditLast).toHaveBeenCalledTimes(1);
    await user.type(box, 'draft');
    await user.keyboard('{ArrowUp}');
    await user.keyboard('{Shift>}{ArrowUp}{/Shift}');
    expect(onEditLast).toHaveBeenCalledTimes(1);
  });

  it('takes several files from the picker, all handed over', async () => {
    const user = userEvent.setup();
    const { onAttach } = renderComposer();
    const input = screen.getByLabelText('Attach file');
    expect(input).toHaveAttribute('multiple');
    const files = [new File(['a'], 'a.txt'), new File(['b'], 'b.txt')];
    await user.upload(input, files);
    expect(onAttach).toHaveBeenCalledExactlyOnceWith(files, '');
  });
});
