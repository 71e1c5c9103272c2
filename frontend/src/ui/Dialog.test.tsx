import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Dialog } from './Dialog';

/** A page with a button that opens a dialog holding a name field (optionally autofocused) and Save. */
function Page({ autoFocus = false }: { autoFocus?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Before</button>
      <button type="button" onClick={() => setOpen(true)}>
        Open settings
      </button>
      {open ? (
        <Dialog title="Settings" onClose={() => setOpen(false)}>
          <input aria-label="Name" autoFocus={autoFocus} />
          <button type="button">Save</button>
        </Dialog>
      ) : null}
      <button type="button">After</button>
    </>
  );
}

async function openDialog(autoFocus = false) {
  const user = userEvent.setup();
  render(<Page autoFocus={autoFocus} />);
  const opener = screen.getByRole('button', { name: 'Open settings' });
  await user.click(opener);
  return { user, opener, dialog: screen.getByRole('dialog', { name: 'Settings' }) };
}

describe('Dialog', () => {
  it('moves focus into the dialog when it opens', async () => {
    const { dialog } = await openDialog();
    expect(dialog).toHaveFocus();
  });

  it('keeps focus on the field marked autoFocus, and still returns it to the opener', async () => {
    const { user, opener } = await openDialog(true);
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(opener).toHaveFocus();
  });

  it('cycles Tab and Shift+Tab within the dialog', async () => {
    const { user } = await openDialog();
    const close = screen.getByRole('button', { name: 'Close' });
    const name = screen.getByRole('textbox', { name: 'Name' });
    const save = screen.getByRole('button', { name: 'Save' });

    await user.tab();
    expect(close).toHaveFocus();
    await user.tab();
    expect(name).toHaveFocus();
    await user.tab();
    expect(save).toHaveFocus();
    await user.tab();
    expect(close).toHaveFocus();
    await user.tab({ shift: true });
    expect(save).toHaveFocus();
  });

  it('closes on Escape and returns focus to the control that opened it', async () => {
    const { user, opener } = await openDialog();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });

  it('returns focus to the opener when closed with its close button', async () => {
    const { user, opener } = await openDialog();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();
  });
});
