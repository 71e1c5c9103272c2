import type { Room } from '@parley/protocol';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

interface LeaveRoomDialogProps {
  room: Room;
  onLeave: () => Promise<unknown>;
  onClose: () => void;
}

/** Leaving asks first: a private room cannot be walked back into without an invitation. */
export function LeaveRoomDialog({ room, onLeave, onClose }: LeaveRoomDialogProps) {
  return (
    <ConfirmDialog
      title={`Leave #${room.name}?`}
      confirm="Leave room"
      busyText="Leaving…"
      onConfirm={onLeave}
      onClose={onClose}
    >
      <p>It leaves your sidebar and you stop getting its messages.</p>
      <p>
        {room.visibility === 'private'
          ? 'It is private: to come back, an owner or admin has to add you again.'
          : 'It is public: you can join again from Browse channels.'}
      </p>
    </ConfirmDialog>
  );
}
