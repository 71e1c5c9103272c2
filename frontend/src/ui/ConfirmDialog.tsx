import { type ReactNode, useState } from 'react';
import { describeError } from '../api/ApiError';
import { Dialog } from './Dialog';
import { FormError } from './FormError';

interface ConfirmDialogProps {
  title: string;
  /** What will happen, in a sentence or two (and what cannot be undone). */
  children: ReactNode;
  /** The confirming button's text ("Leave room", "Delete"), and its text while busy. */
  confirm: string;
  busyText: string;
  /** The action; a rejection is shown in the dialog, which then stays open. */
  onConfirm: () => Promise<unknown> | undefined;
  onClose: () => void;
}

/**
 * "Are you sure?" before an action that cannot be taken back in one click (leaving a room,
 * deleting a message). Cancel takes the focus, so that Enter or a stray click does no harm;
 * the destructive button is red and says exactly what it does.
 */
export function ConfirmDialog({
  title,
  children,
  confirm,
  busyText,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <div className="confirm">
        <FormError message={error} />
        <div className="confirm__body">{children}</div>
        <div className="dialog__buttons">
          {/* biome-ignore lint/a11y/noAutofocus: a dialog's safe choice takes the focus when it opens. */}
          <button type="button" className="button button--ghost" onClick={onClose} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button--danger" disabled={busy} onClick={() => void run()}>
            {busy ? busyText : confirm}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
