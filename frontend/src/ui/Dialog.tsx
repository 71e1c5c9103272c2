import { type ReactNode, useEffect, useId, useRef } from 'react';
import { CloseIcon } from './Icons';
import { useModalFocus } from './useModalFocus';

interface DialogProps {
  title: string;
  /** A line under the title. */
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** `wide` for lists (members, channels). */
  size?: 'normal' | 'wide';
}

/**
 * A modal over the app: Escape, the close button or a click outside closes it; focus moves into
 * it on open (to the element marked `autoFocus`, else the dialog), Tab and Shift+Tab stay inside
 * it, and focus goes back to the control that opened it on close (`useModalFocus`).
 */
export function Dialog({ title, description, onClose, children, size = 'normal' }: DialogProps) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useModalFocus(panel);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="dialog">
      <button
        type="button"
        className="dialog__backdrop"
        aria-label="Close dialog"
        tabIndex={-1}
        onClick={onClose}
      />
      <div
        ref={panel}
        className={`dialog__panel dialog__panel--${size}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <header className="dialog__header">
          <div>
            <h2 id={titleId} className="dialog__title">
              {title}
            </h2>
            {description ? <p className="dialog__description">{description}</p> : null}
          </div>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <CloseIcon />
          </button>
        </header>
        {children}
      </div>
    </div>
  );
}

interface DialogActionsProps {
  onCancel: () => void;
  /** The submit button's text, and its text while the form is busy. */
  submit: string;
  busyText: string;
  busy: boolean;
}

/** A form dialog's footer: Cancel, and the submit button (disabled while busy). */
export function DialogActions({ onCancel, submit, busyText, busy }: DialogActionsProps) {
  return (
    <div className="dialog__buttons">
      <button type="button" className="button button--ghost" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? busyText : submit}
      </button>
    </div>
  );
}
