import { CloseIcon } from '../ui/Icons';

/** The chat's notice (history failed to load, an edit was refused…) over the messages, until dismissed. */
export function NoticeBanner({ notice, onDismiss }: { notice: string | null; onDismiss: () => void }) {
  if (!notice) return null;
  return (
    <div className="notice" role="status">
      <span>{notice}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <CloseIcon width={16} height={16} />
      </button>
    </div>
  );
}
