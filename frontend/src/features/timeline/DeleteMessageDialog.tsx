import type { Message } from '@parley/protocol';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

interface DeleteMessageDialogProps {
  message: Message;
  onDelete: () => Promise<unknown> | undefined;
  onClose: () => void;
}

/** Deleting asks first, quoting the message: it is gone for everyone and cannot be brought back. */
export function DeleteMessageDialog({ message, onDelete, onClose }: DeleteMessageDialogProps) {
  const quoted = message.text.trim() || message.attachment?.fileName;
  return (
    <ConfirmDialog
      title="Delete message?"
      confirm="Delete"
      busyText="Deleting…"
      onConfirm={onDelete}
      onClose={onClose}
    >
      <p>It disappears for everyone in the conversation. This cannot be undone.</p>
      {quoted ? <blockquote className="confirm__quote">{quoted}</blockquote> : null}
    </ConfirmDialog>
  );
}
