import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/ApiError';
import { ConfirmDialog } from './ConfirmDialog';

function renderConfirm(onConfirm: () => Promise<unknown>) {
  const onClose = vi.fn();
  render(
    <ConfirmDialog
      title="Leave #design?"
      confirm="Leave room"
      busyText="Leaving…"
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <p>It leaves your sidebar.</p>
    </ConfirmDialog>,
  );
  return { onClose, user: userEvent.setup() };
}

describe('ConfirmDialog', () => {
  it('does nothing until confirmed: Cancel has the focus and closes without acting', async () => {
    const onConfirm = vi.fn(async () => undefined);
    const { onClose, user } = renderConfirm(onConfirm);
    expect(screen.getByRole('dialog', { name: 'Leave #design?' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(onConfirm).not.toHaveBeenCalled();
    expect(onClose).toHaveBeenCalled();
  });

  it('acts on confirm and closes; a refusal stays open and says why', async () => {
    const onConfirm = vi
      .fn()
      .mockRejectedValueOnce(new ApiError('conflict', 'A direct message cannot be left.', { status: 409 }))
      .mockResolvedValueOnce(undefined);
    const { onClose, user } = renderConfirm(onConfirm);
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('A direct message cannot be left.');
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Leave room' }));
    expect(onConfirm).toHaveBeenCalledTimes(2);
    expect(onClose).toHaveBeenCalled();
  });
});
