import { fieldErrors, LIMITS, type Room, updateRoomBody } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { describeError, isApiError } from '../api/ApiError';
import { Dialog } from './Dialog';
import { sentence, TextField } from './TextField';

interface EditRoomDialogProps {
  room: Room;
  onSave: (changes: { name?: string; topic?: string }) => Promise<unknown>;
  onClose: () => void;
}

/** Name and topic of a room, for its owner and admins: PATCH /rooms/:id. */
export function EditRoomDialog({ room, onSave, onClose }: EditRoomDialogProps) {
  const [name, setName] = useState(room.name);
  const [topic, setTopic] = useState(room.topic);
  const [errors, setErrors] = useState<{ name?: string; topic?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const changes: { name?: string; topic?: string } = {};
    if (name.trim() !== room.name) changes.name = name.trim();
    if (topic.trim() !== room.topic) changes.topic = topic.trim();
    if (changes.name === undefined && changes.topic === undefined) {
      onClose();
      return;
    }
    const checked = updateRoomBody.safeParse(changes);
    if (!checked.success) {
      setErrors(toErrors(fieldErrors(checked.error)));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await onSave(changes);
      onClose();
    } catch (error) {
      const fields = isApiError(error) ? toErrors(error.fields) : {};
      setErrors(fields.name || fields.topic ? fields : { form: describeError(error) });
      setBusy(false);
    }
  }

  return (
    <Dialog title="Edit room" onClose={onClose}>
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
          maxLength={LIMITS.roomNameMax * 2}
          autoComplete="off"
        />
        <TextField
          label="Topic"
          value={topic}
          onChange={setTopic}
          error={errors.topic}
          hint="Shown next to the room name."
          maxLength={LIMITS.topicMax * 2}
          autoComplete="off"
          autoFocus
        />
        <div className="dialog__buttons">
          <button type="button" className="button button--ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function toErrors(fields: { path: string; message: string }[]) {
  const errors: { name?: string; topic?: string } = {};
  for (const { path, message } of fields) {
    if (path === 'name' && !errors.name)
      errors.name = message === 'must not be empty' ? 'Give the room a name.' : sentence('The name', message);
    if (path === 'topic' && !errors.topic) errors.topic = sentence('The topic', message);
  }
  return errors;
}
