import { type FormEvent, useState } from 'react';
import { describeError, isApiError } from '../api/ApiError';
import { Dialog } from './Dialog';
import { TextField } from './TextField';

interface NewMessageDialogProps {
  /** Opens (or creates) the DM with that username; rejects with the server's error. */
  onStart: (username: string) => Promise<unknown>;
  onClose: () => void;
}

/** Starts a direct message by username: POST /dms, then the conversation opens. */
export function NewMessageDialog({ onStart, onClose }: NewMessageDialogProps) {
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (name === '') {
      setError('Type the username of the person to write to.');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await onStart(name);
      onClose();
    } catch (failure) {
      setError(
        isApiError(failure) && failure.status === 404 ? `No user named ${name}.` : describeError(failure),
      );
      setBusy(false);
    }
  }

  return (
    <Dialog title="New message" description="Start a private conversation with one person." onClose={onClose}>
      <form className="dialog__form" onSubmit={submit} noValidate>
        <TextField
          label="Username"
          value={username}
          onChange={setUsername}
          error={error}
          placeholder="e.g. ada"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={256}
          autoFocus
        />
        <div className="dialog__buttons">
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Opening…' : 'Start conversation'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
