import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { NewMessageDialog } from './NewMessageDialog';

function renderDialog(onStart: (username: string) => Promise<unknown>) {
  const onClose = vi.fn();
  render(<NewMessageDialog onStart={onStart} onClose={onClose} />);
  return { onClose, user: userEvent.setup() };
}

describe('NewMessageDialog', () => {
  it('says under the field that a username is needed, before asking the server', async () => {
    const onStart = vi.fn();
    const { user } = renderDialog(onStart);
    await user.click(screen.getByRole('button', { name: 'Start conversation' }));
    const field = screen.getByLabelText('Username');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('Type the username of the person to write to.');
    expect(onStart).not.toHaveBeenCalled();
  });

  it('ties an unknown user to the field and keeps the dialog open', async () => {
    const onStart = vi.fn().mockRejectedValue(new ApiError('not_found', 'No such user.', { status: 404 }));
    const { onClose, user } = renderDialog(onStart);
    await user.type(screen.getByLabelText('Username'), '@ghost');
    await user.click(screen.getByRole('button', { name: 'Start conversation' }));
    expect(onStart).toHaveBeenCalledWith('ghost');
    expect(await screen.findByText('No user named ghost.')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('No user named ghost.');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('puts a refusal that concerns no field in plain words, still by the field', async () => {
    const onStart = vi
      .fn()
      .mockRejectedValue(
        new ApiError('rate_limited', 'Too many requests; slow down.', { status: 429, retryAfterSeconds: 5 }),
      );
    const { user } = renderDialog(onStart);
    await user.type(screen.getByLabelText('Username'), 'ada');
    await user.click(screen.getByRole('button', { name: 'Start conversation' }));
    expect(await screen.findByText('Too many attempts. Try again in 5 seconds.')).toBeInTheDocument();
  });
});
