import { createRoomBody, fieldErrors, LIMITS } from '@parley/protocol';
import { type FormEvent, useId, useState } from 'react';
import type { NewRoom } from '../api/ApiClient';
import { describeError, isApiError } from '../api/ApiError';
import { Dialog } from './Dialog';
import { HashIcon, LockIcon } from './Icons';
import { sentence, TextField } from './TextField';

interface CreateRoomDialogProps {
  /** Creates the room (and opens it); rejects with the server's error. */
  onCreate: (room: NewRoom) => Promise<unknown>;
  onClose: () => void;
}

type Errors = { name?: string; topic?: string; form?: string };

/** Name, optional topic and public/private: POST /rooms, then the new room opens. */
export function CreateRoomDialog({ onCreate, onClose }: CreateRoomDialogProps) {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const toggleId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: NewRoom = {
      name: name.trim(),
      visibility: isPrivate ? 'private' : 'public',
      ...(topic.trim() ? { topic: topic.trim() } : {}),
    };
    const checked = createRoomBody.safeParse(body);
    if (!checked.success) {
      setErrors(toErrors(fieldErrors(checked.error)));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onCreate(body);
      onClose();
    } catch (error) {
      const fields = isApiError(error) ? toErrors(error.fields) : {};
      setErrors(fields.name || fields.topic ? fields : { form: describeError(error) });
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Create room"
      description="Rooms are where conversations about a topic happen."
      onClose={onClose}
    >
      <form className="dialog__form" onSubmit={submit} noValidate>
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <TextField
          label="Room name"
          value={name}
          onChange={setName}
          error={errors.name}
          placeholder="e.g. design-crit"
          maxLength={LIMITS.roomNameMax * 2}
          autoComplete="off"
          autoFocus
        />
        <TextField
          label="Topic"
          value={topic}
          onChange={setTopic}
          error={errors.topic}
          hint="Optional: what the room is about."
          maxLength={LIMITS.topicMax * 2}
          autoComplete="off"
        />
        <label className="toggle">
          <span className="toggle__icon" aria-hidden="true">
            {isPrivate ? <LockIcon width={18} height={18} /> : <HashIcon width={18} height={18} />}
          </span>
          <span className="toggle__text">
            <span className="toggle__label" id={`${toggleId}-label`}>
              Private
            </span>
            <span className="toggle__hint" id={`${toggleId}-hint`}>
              {isPrivate
                ? 'Only people you add can find and read it.'
                : 'Anyone can find it in Browse channels and join.'}
            </span>
          </span>
          <input
            type="checkbox"
            role="switch"
            aria-checked={isPrivate}
            className="toggle__input"
            aria-labelledby={`${toggleId}-label`}
            aria-describedby={`${toggleId}-hint`}
            checked={isPrivate}
            onChange={(event) => setPrivate(event.target.checked)}
          />
          <span className="toggle__track" aria-hidden="true" />
        </label>
        <div className="dialog__buttons">
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function toErrors(fields: { path: string; message: string }[]): Errors {
  const errors: Errors = {};
  for (const { path, message } of fields) {
    if (path === 'name' && !errors.name)
      errors.name = message === 'must not be empty' ? 'Give the room a name.' : sentence('The name', message);
    if (path === 'topic' && !errors.topic) errors.topic = sentence('The topic', message);
  }
  return errors;
}
