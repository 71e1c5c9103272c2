import { LIMITS } from '@parley/protocol';
import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { PaperclipIcon, SendIcon } from '../../ui/Icons';

interface ComposerProps {
  roomName: string;
  /** A direct message: "Message Ada" rather than "Message #general". */
  direct?: boolean;
  onSend: (text: string) => void;
  /** Files picked with the button; the typed text, if any, goes along as the caption. */
  onAttach: (files: File[], caption: string) => void;
  /**
   * Each new value (above 0) asks for the message box to take focus, as on sign-in or on
   * switching rooms; it does not take it from an open modal (a dialog, the image viewer).
   */
  focusRequest?: number;
  /** Up arrow in the empty box: edit one's last message; true when there was one to edit. */
  onEditLast?: () => boolean;
}

/** The message box's id, for the "Skip to composer" link. */
export const COMPOSER_INPUT_ID = 'composer-input';

/** A modal (dialog, image viewer) is open: focus belongs to it. */
const modalOpen = () => document.querySelector('[aria-modal="true"]') !== null;

/** Enter sends, Shift+Enter starts a new line; the box grows with its text. */
export function Composer({
  roomName,
  direct = false,
  onSend,
  onAttach,
  focusRequest = 0,
  onEditLast,
}: ComposerProps) {
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const tooLong = [...text].length > LIMITS.textMax;
  const canSend = text.trim() !== '' && !tooLong;

  useLayoutEffect(() => {
    const element = area.current;
    if (!element) return;
    void text;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 220)}px`;
  }, [text]);

  useEffect(() => {
    if (focusRequest > 0 && !modalOpen()) area.current?.focus();
  }, [focusRequest]);

  function send() {
    if (!canSend) return;
    onSend(text);
    setText('');
    area.current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey;
    if (event.key === 'ArrowUp' && plain && text === '' && onEditLast?.()) {
      event.preventDefault();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  function onFiles(list: FileList | null) {
    const files = list ? [...list] : [];
    if (files.length === 0) return;
    onAttach(files, text);
    setText('');
    if (fileInput.current) fileInput.current.value = '';
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <div className={`composer__box${tooLong ? ' composer__box--invalid' : ''}`}>
        <button
          type="button"
          className="icon-button composer__attach"
          title="Attach a file"
          aria-label="Choose a file to attach"
          onClick={() => fileInput.current?.click()}
        >
          <PaperclipIcon />
        </button>
        <input
          ref={fileInput}
          className="visually-hidden"
          type="file"
          multiple
          aria-label="Attach file"
          tabIndex={-1}
          onChange={(event) => onFiles(event.target.files)}
        />
        <textarea
          ref={area}
          id={COMPOSER_INPUT_ID}
          className="composer__input"
          aria-label="Message"
          placeholder={direct ? `Message ${roomName}` : `Message #${roomName}`}
          rows={1}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="composer__send" disabled={!canSend} title="Send (Enter)">
          <SendIcon />
          <span className="visually-hidden">Send</span>
        </button>
      </div>
      <div className="composer__hint" aria-live="polite">
        {tooLong ? (
          <span className="composer__error">
            {[...text].length - LIMITS.textMax} characters over the {LIMITS.textMax} limit
          </span>
        ) : (
          <span>
            <kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line · drop files to
            share
          </span>
        )}
      </div>
    </form>
  );
}
