import { LIMITS, type UserRef } from '@parley/protocol';
import {
  type FormEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { PaperclipIcon, SendIcon } from '../../ui/Icons';
import {
  applySuggestion,
  findTrigger,
  mentionSuggestions,
  type Suggestion,
  type Trigger,
} from './autocomplete';
import { type EmojiSearch, searchEmojiShortcodes } from './emojiShortcodes';
import { FormattingHint } from './FormattingHint';
import { optionId, SuggestionList } from './SuggestionList';
import { useTypingSignal } from './useTypingSignal';

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
  /** Called while the user types (throttled to one call per 3 s, none for empty text). */
  onTyping?: () => void;
  /** Who `@` offers: the room's members (without oneself, whose id is `meId`). */
  people?: readonly UserRef[];
  meId?: string;
  /** Asked once when `@` is typed and `people` may not be loaded yet. */
  onWantPeople?: () => void;
  /** Emoji for `:sho`; the self-hosted emoji database by default. */
  emojiSearch?: EmojiSearch;
}

const NO_PEOPLE: readonly UserRef[] = [];

/** The message box's id, for the "Skip to composer" link. */
export const COMPOSER_INPUT_ID = 'composer-input';

/** A modal (dialog, image viewer) is open: focus belongs to it. */
const modalOpen = () => document.querySelector('[aria-modal="true"]') !== null;

/** Enter sends, Shift+Enter starts a new line; the box grows with its text. */
export function Composer(props: ComposerProps) {
  const { roomName, direct = false, onSend, onAttach, focusRequest = 0, onEditLast } = props;
  const { people = NO_PEOPLE, meId = '', onWantPeople, emojiSearch = searchEmojiShortcodes } = props;
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const tooLong = [...text].length > LIMITS.textMax;
  const canSend = text.trim() !== '' && !tooLong;
  const typing = useTypingSignal(props.onTyping);
  const [showFormatting, setShowFormatting] = useState(false);
  const ids = useId();
  const listId = `${ids}-suggestions`;
  const formattingId = `${ids}-formatting`;

  // ---- completion of @mentions and :shortcodes: at the caret ----
  const [trigger, setTrigger] = useState<Trigger | null>(null);
  /** Escape closed the list for the trigger that starts here, until the caret leaves it. */
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [emoji, setEmoji] = useState<{ query: string; items: Suggestion[] }>({ query: '', items: [] });
  const [active, setActive] = useState(0);
  const wantedPeople = useRef(false);
  /** Where the caret goes once a chosen suggestion is in the box (set before the next paint). */
  const pendingCaret = useRef<number | null>(null);
  const suggestions: Suggestion[] =
    !trigger || trigger.start === dismissedAt
      ? []
      : trigger.kind === 'mention'
        ? mentionSuggestions(trigger.query, people, meId)
        : emoji.query === trigger.query
          ? emoji.items
          : [];
  const open = suggestions.length > 0;
  const activeIndex = Math.min(active, suggestions.length - 1);

  const emojiQuery = trigger?.kind === 'emoji' ? trigger.query : null;
  useEffect(() => {
    if (emojiQuery === null) return;
    let current = true;
    emojiSearch(emojiQuery)
      .then((items) => {
        if (current) setEmoji({ query: emojiQuery, items });
      })
      .catch(() => {
        if (current) setEmoji({ query: emojiQuery, items: [] });
      });
    return () => {
      current = false;
    };
  }, [emojiQuery, emojiSearch]);

  /** Reads the trigger at the caret after any change of text or caret. */
  function track(value: string, caret: number) {
    const found = findTrigger(value, caret);
    setTrigger((previous) => {
      if (!found || found.start !== previous?.start || found.kind !== previous.kind) setActive(0);
      return found;
    });
    if (!found || found.start !== dismissedAt) setDismissedAt(null);
    if (found?.kind === 'mention' && !wantedPeople.current) {
      wantedPeople.current = true;
      onWantPeople?.();
    }
  }

  function choose(suggestion: Suggestion) {
    if (!trigger) return;
    const next = applySuggestion(text, trigger, suggestion);
    pendingCaret.current = next.caret;
    setText(next.text);
    setTrigger(null);
  }

  useLayoutEffect(() => {
    const element = area.current;
    if (!element) return;
    void text;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 220)}px`;
    if (pendingCaret.current !== null) {
      element.focus();
      element.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);

  useEffect(() => {
    if (focusRequest > 0 && !modalOpen()) area.current?.focus();
  }, [focusRequest]);

  function send() {
    if (!canSend) return;
    onSend(text);
    setText('');
    setTrigger(null);
    typing.reset();
    area.current?.focus();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (open && !event.nativeEvent.isComposing) {
      if (event.key === 'ArrowDown') setActive((activeIndex + 1) % suggestions.length);
      else if (event.key === 'ArrowUp')
        setActive((activeIndex - 1 + suggestions.length) % suggestions.length);
      else if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
        const chosen = suggestions[activeIndex];
        if (chosen) choose(chosen);
      } else if (event.key === 'Escape') setDismissedAt(trigger?.start ?? null);
      else return;
      event.preventDefault();
      event.stopPropagation();
      return;
    }
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
      {open ? (
        <SuggestionList
          id={listId}
          label={trigger?.kind === 'emoji' ? 'Emoji' : 'People'}
          suggestions={suggestions}
          active={activeIndex}
          onChoose={choose}
          onHover={setActive}
        />
      ) : null}
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
          // A textbox with a list, not role="combobox": it stays the "Message" textbox that
          // tests, skip links and screen reader users find, and both attributes are valid on it.
          aria-autocomplete="list"
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? optionId(listId, activeIndex) : undefined}
          onChange={(event) => {
            setText(event.target.value);
            typing.changed(event.target.value);
            track(event.target.value, event.target.selectionStart);
          }}
          onSelect={(event) => track(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={() => setTrigger(null)}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className={`composer__format${showFormatting ? ' composer__format--on' : ''}`}
          title="Formatting"
          aria-label="Formatting help"
          aria-expanded={showFormatting}
          aria-controls={formattingId}
          onClick={() => setShowFormatting((shown) => !shown)}
        >
          Aa
        </button>
        <button type="submit" className="composer__send" disabled={!canSend} title="Send (Enter)">
          <SendIcon />
          <span className="visually-hidden">Send</span>
        </button>
      </div>
      {showFormatting ? <FormattingHint id={formattingId} /> : null}
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
