import type { UserRef } from '@parley/protocol';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { UserSuggestField } from './UserSuggestField';

const ada: UserRef = { id: 'u-ada', username: 'ada', displayName: 'Ada Lovelace' };
const adam: UserRef = { id: 'u-adam', username: 'adam', displayName: 'Adam Smith' };
const inRoom: UserRef = { id: 'u-adele', username: 'adele', displayName: 'Adele' };

function Field({ search }: { search: (text: string) => Promise<UserRef[]> }) {
  const [value, setValue] = useState('');
  return (
    <>
      <UserSuggestField
        value={value}
        onChange={setValue}
        error={undefined}
        placeholder="Add people"
        search={search}
        exclude={new Set([inRoom.id])}
      />
      <output>{value}</output>
    </>
  );
}

describe('UserSuggestField', () => {
  it('suggests people as one types (not those excluded), and fills the username of the one picked', async () => {
    const search = vi.fn(async () => [ada, adam, inRoom]);
    const user = userEvent.setup();
    render(<Field search={search} />);
    const input = screen.getByRole('combobox', { name: 'Username' });
    await user.type(input, 'ad');
    const options = await screen.findAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['ALAda Lovelace@ada', 'ASAdam Smith@adam']);
    expect(search).toHaveBeenLastCalledWith('ad', expect.any(AbortSignal));
    expect(input).toHaveAttribute('aria-expanded', 'true');

    await user.keyboard('{ArrowDown}{Enter}');
    expect(screen.getByRole('status')).toHaveTextContent('adam');
    expect(input).toHaveAttribute('aria-expanded', 'false');
  });

  it('closes the list on Escape without closing anything else', async () => {
    const onWindowEscape = vi.fn();
    window.addEventListener('keydown', onWindowEscape);
    const user = userEvent.setup();
    render(<Field search={vi.fn(async () => [ada])} />);
    await user.type(screen.getByRole('combobox', { name: 'Username' }), 'a');
    await screen.findByRole('option');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('option')).toBeNull();
    expect(onWindowEscape.mock.calls.some(([event]) => (event as KeyboardEvent).key === 'Escape')).toBe(
      false,
    );
    window.removeEventListener('keydown', onWindowEscape);
  });
});
