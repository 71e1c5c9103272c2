import { type FormEvent, useState } from 'react';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { Dialog, DialogActions } from '../../ui/Dialog';
import type { SearchUsers } from '../people/useUserSuggestions';
import { toUsername, UsernameField, userFailure } from './UsernameField';

interface NewMessageDialogProps {
  /** Opens (or creates) the DM with that username; rejects with the server's error. */
  onStart: (username: string) => Promise<unknown>;
  onClose: () => void;
  /** Suggests people as one types. */
  searchUsers?: SearchUsers;
  /** One's own id: not suggested. */
  meId?: string;
}

/** Starts a direct message by username: POST /dms, then the conversation opens. */
export function NewMessageDialog({ onStart, onClose, searchUsers, meId }: NewMessageDialogProps) {
  const [username, setUsername] = useState('');
  const { errors: error, busy, submit } = useFormSubmit<string | undefined>(undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = toUsername(username);
    await submit({
      invalid: name === '' ? 'Type the username of the person to write to.' : undefined,
      call: () => onStart(name),
      done: onClose,
      failed: (failure) => userFailure(name, failure),
    });
  }

  return (
    <Dialog title="New message" description="Start a private conversation with one person." onClose={onClose}>
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <UsernameField
          value={username}
          onChange={setUsername}
          error={error}
          placeholder="e.g. ada"
          autoFocus
          search={searchUsers}
          exclude={new Set(meId ? [meId] : [])}
        />
        <DialogActions onCancel={onClose} submit="Start conversation" busyText="Opening…" busy={busy} />
      </form>
    </Dialog>
  );
}
