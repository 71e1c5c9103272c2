import { LIMITS } from '@parley/protocol';
import {
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { SendIcon } from '../../ui/Icons';

interface ThreadComposerProps {
  /** The room's name as shown in "Also send to #room" (a person's name in a direct message). */
  roomLabel: string;
  onSend: (text: string, alsoToRoom: boolean) => void;
  /** Each new value (above 0) asks the reply box to take focus, as when the thread opens. */
  focusRequest?: number;
}

/**
 * The thread panel's own message box (the room's Composer is another's, and keeps one id per
 * page): Enter sends, Shift+Enter starts a new line, and "Also send to" shows the reply in the
 * room's timeline too (for that reply only, so that a thread does not spill into the room).
 */
export function ThreadComposer({ roomLabel, onSend, focusRequest = 0 }: ThreadComposerProps) {
  const [text, setText] = useState('');
  const [alsoToRoom, setAlsoToRoom] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const checkboxId = useId();
  const tooLong = [...text].length > LIMITS.textMax;
  const canSend = text.trim() !== '' && !tooLong;

  useLayoutEffect(() => {
    const element = area.current;
    if (!element) return;
    void text;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 180)}px`;
  }, [text]);

  useEffect(() => {
    if (focusRequest > 0) area.current?.focus();
  }, [focusRequest]);

  function send() {
    if (!canSend) return;
    onSend(text, alsoToRoom);
    setText('');
    // One reply at a time goes to the room: the next is thread-only unless ticked again.
    setAlsoToRoom(false);
    area.current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <form className="composer thread-composer" onSubmit={onSubmit}>
      <div className={`composer__box${tooLong ? ' composer__box--invalid' : ''}`}>
        <textarea
          ref={area}
          className="composer__input"
          aria-label="Reply"
          placeholder="Reply…"
          rows={1}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="composer__send" disabled={!canSend} title="Send reply (Enter)">
          <SendIcon />
          <span className="visually-hidden">Send reply</span>
        </button>
      </div>
      <div className="thread-composer__options">
        <input
          id={checkboxId}
          type="checkbox"
          className="thread-composer__check"
          checked={alsoToRoom}
          onChange={(event) => setAlsoToRoom(event.target.checked)}
        />
        <label htmlFor={checkboxId}>Also send to {roomLabel}</label>
        {tooLong ? (
          <span className="composer__error" aria-live="polite">
            {[...text].length - LIMITS.textMax} characters over the limit
          </span>
        ) : null}
      </div>
    </form>
  );
}
