import type { Room } from '@parley/protocol';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { EditRoomDialog } from './EditRoomDialog';

const room: Room = {
  id: 'r1',
  slug: 'design',
  name: 'design',
  topic: 'Pixels',
  visibility: 'public',
  lastSeq: 3,
  membership: 'owner',
};

describe('EditRoomDialog', () => {
  it('shows a taken name (409) on the name field and stays open', async () => {
    const taken = 'A room named “random” already exists. Choose another name.';
    const onSave = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError('conflict', taken, { status: 409, fields: [{ path: 'name', message: taken }] }),
      );
    const onClose = vi.fn();
    const user = userEvent.setup();
    render(<EditRoomDialog room={room} onSave={onSave} onClose={onClose} />);
    const name = screen.getByLabelText('Room name');
    await user.clear(name);
    await user.type(name, 'random');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSave).toHaveBeenCalledWith({ name: 'random' });
    expect(name).toHaveAccessibleDescription(taken);
    expect(onClose).not.toHaveBeenCalled();
  });
});
