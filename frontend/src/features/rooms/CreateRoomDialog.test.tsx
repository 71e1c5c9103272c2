import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { CreateRoomDialog } from './CreateRoomDialog';

function renderDialog(onCreate = vi.fn(async () => undefined)) {
  const onClose = vi.fn();
  render(<CreateRoomDialog onCreate={onCreate} onClose={onClose} />);
  return { onCreate, onClose, user: userEvent.setup() };
}

describe('CreateRoomDialog', () => {
  it('asks for a name before calling the server', async () => {
    const { onCreate, user } = renderDialog();
    await user.type(screen.getByLabelText('Room name'), '   ');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Room name')).toHaveAccessibleDescription('Give the room a name.');
  });

  it('creates a private room with a topic and closes', async () => {
    const { onCreate, onClose, user } = renderDialog();
    await user.type(screen.getByLabelText('Room name'), '  launch plan ');
    await user.type(screen.getByLabelText('Topic'), 'Everything for May');
    await user.click(screen.getByLabelText('Private'));
    expect(screen.getByRole('switch', { name: 'Private' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(onCreate).toHaveBeenCalledWith({
      name: 'launch plan',
      visibility: 'private',
      topic: 'Everything for May',
    });
    expect(onClose).toHaveBeenCalled();
  });

  it('shows what the server refused, by field or for the whole form, and stays open', async () => {
    const onCreate = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError('validation_failed', 'The request is not valid.', {
          status: 400,
          fields: [{ path: 'name', message: 'must be at most 80 characters' }],
        }),
      )
      .mockRejectedValueOnce(new ApiError('conflict', 'That room address is taken.', { status: 409 }));
    const { onClose, user } = renderDialog(onCreate);
    await user.type(screen.getByLabelText('Room name'), 'design');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(screen.getByLabelText('Room name')).toHaveAccessibleDescription('Use at most 80 characters.');

    // A conflict that names no field is about the name, whose address is taken.
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('That room address is taken. Choose another name.')).toBeInTheDocument();
    expect(screen.getByLabelText('Room name')).toHaveAccessibleDescription(
      'That room address is taken. Choose another name.',
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('shows a taken name (409 from the server) on the name field, as the server words it', async () => {
    const taken = 'A room named “General” already exists. Choose another name.';
    const onCreate = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError('conflict', taken, { status: 409, fields: [{ path: 'name', message: taken }] }),
      );
    const { onClose, user } = renderDialog(onCreate);
    await user.type(screen.getByLabelText('Room name'), 'General');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(screen.getByLabelText('Room name')).toHaveAccessibleDescription(taken);
    expect(screen.getByLabelText('Room name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(onClose).not.toHaveBeenCalled();
  });
});
