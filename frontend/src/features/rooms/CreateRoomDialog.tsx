import { createRoomBody } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import type { NewRoom } from '../../api/ApiClient';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { Dialog, DialogActions } from '../../ui/Dialog';
import { HashIcon, LockIcon } from '../../ui/Icons';
import { Toggle } from '../../ui/Toggle';
import { invalidRoom, type RoomErrors, RoomFields, type RoomValues, roomFailure } from './RoomFields';

interface CreateRoomDialogProps {
  /** Creates the room (and opens it); rejects with the server's error. */
  onCreate: (room: NewRoom) => Promise<unknown>;
  onClose: () => void;
}

/** Name, optional topic and public/private: POST /rooms, then the new room opens. */
export function CreateRoomDialog({ onCreate, onClose }: CreateRoomDialogProps) {
  const [fields, setFields] = useState<RoomValues>({ name: '', topic: '' });
  const [isPrivate, setPrivate] = useState(false);
  const { errors, busy, submit } = useFormSubmit<RoomErrors>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body: NewRoom = {
      name: fields.name.trim(),
      visibility: isPrivate ? 'private' : 'public',
      ...(fields.topic.trim() ? { topic: fields.topic.trim() } : {}),
    };
    await submit({
      invalid: invalidRoom(createRoomBody.safeParse(body)),
      call: () => onCreate(body),
      done: onClose,
      failed: roomFailure,
    });
  }

  return (
    <Dialog
      title="Create room"
      description="Rooms are where conversations about a topic happen."
      onClose={onClose}
    >
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <RoomFields
          value={fields}
          onChange={setFields}
          errors={errors}
          namePlaceholder="e.g. design-crit"
          topicHint="Optional: what the room is about."
          autoFocus="name"
        />
        <Toggle
          label="Private"
          hint={
            isPrivate
              ? 'Only people you add can find and read it.'
              : 'Anyone can find it in Browse channels and join.'
          }
          icon={isPrivate ? <LockIcon width={18} height={18} /> : <HashIcon width={18} height={18} />}
          checked={isPrivate}
          onChange={setPrivate}
        />
        <DialogActions onCancel={onClose} submit="Create" busyText="Creating…" busy={busy} />
      </form>
    </Dialog>
  );
}
