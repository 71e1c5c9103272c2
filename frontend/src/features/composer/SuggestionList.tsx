import { Avatar } from '../../ui/Avatar';
import { Emoji } from '../emoji/Emoji';
import type { Suggestion } from './autocomplete';

interface SuggestionListProps {
  id: string;
  /** What the list offers, for its accessible name. */
  label: string;
  suggestions: readonly Suggestion[];
  active: number;
  onChoose: (suggestion: Suggestion) => void;
  onHover: (index: number) => void;
}

/** The DOM id of one option, for the combobox's `aria-activedescendant`. */
export const optionId = (listId: string, index: number) => `${listId}-option-${index}`;

/**
 * The composer's completion popup: an ARIA listbox the message box (the combobox) points at.
 * Focus stays in the message box; the arrows move the active option, pointer clicks choose
 * without taking focus (mousedown is prevented).
 */
export function SuggestionList({ id, label, suggestions, active, onChoose, onHover }: SuggestionListProps) {
  return (
    <div className="suggestions" data-testid="suggestions">
      <div id={id} role="listbox" aria-label={label} className="suggestions__list">
        {suggestions.map((suggestion, index) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keys are the message box's (arrows, Enter, Tab), where focus stays
          <div
            key={suggestion.key}
            id={optionId(id, index)}
            role="option"
            aria-selected={index === active}
            tabIndex={-1}
            className={`suggestions__option${index === active ? ' suggestions__option--active' : ''}`}
            onMouseDown={(event) => event.preventDefault()}
            onMouseEnter={() => onHover(index)}
            onClick={() => onChoose(suggestion)}
          >
            <span className="suggestions__icon" aria-hidden="true">
              {suggestion.emoji ? (
                <Emoji emoji={suggestion.emoji} className="suggestions__emoji" />
              ) : suggestion.userId ? (
                <Avatar userId={suggestion.userId} name={suggestion.label} size="sm" />
              ) : (
                <span className="suggestions__at">@</span>
              )}
            </span>
            <span className="suggestions__label">{suggestion.label}</span>
            <span className="suggestions__detail">{suggestion.detail}</span>
          </div>
        ))}
      </div>
      <p className="suggestions__help" aria-hidden="true">
        <kbd>↑</kbd> <kbd>↓</kbd> to choose · <kbd>Enter</kbd> or <kbd>Tab</kbd> to insert · <kbd>Esc</kbd> to
        close
      </p>
    </div>
  );
}
