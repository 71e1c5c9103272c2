import { type Room, updateRoomBody } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import { Dialog, DialogActions } from '../../ui/Dialog';
import { invalidRoom, type RoomErrors, RoomFields, type RoomValues, roomFailure } from './RoomFields';

interface EditRoomDialogProps {
  room: Room;
  onSave: (changes: { name?: string; topic?: string }) => Promise<unknown>;
  onClose: () => void;
}

/** Name and topic of a room, for its owner and admins: PATCH /rooms/:id. */
export function EditRoomDialog({ room, onSave, onClose }: EditRoomDialogProps) {
  const [fields, setFields] = useState<RoomValues>({ name: room.name, topic: room.topic });
  const { errors, busy, submit } = useFormSubmit<RoomErrors>({});

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const changes: { name?: string; topic?: string } = {};
    if (fields.name.trim() !== room.name) changes.name = fields.name.trim();
    if (fields.topic.trim() !== room.topic) changes.topic = fields.topic.trim();
    if (changes.name === undefined && changes.topic === undefined) {
      onClose();
      return;
    }
    await submit({
      invalid: invalidRoom(updateRoomBody.safeParse(changes)),
      call: () => onSave(changes),
      done: onClose,
      failed: roomFailure,
    });
  }

  return (
    <Dialog title="Edit room" onClose={onClose}>
      <form className="dialog__form" onSubmit={onSubmit} noValidate>
        <RoomFields
          value={fields}
          onChange={setFields}
          errors={errors}
          topicHint="Shown next to the room name."
          autoFocus="topic"
        />
        <DialogActions onCancel={onClose} submit="Save" busyText="Saving…" busy={busy} />
      </form>
    </Dialog>
  );
}
