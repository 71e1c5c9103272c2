import type { UserRef } from '@parley/protocol';
import { useId, useState } from 'react';
import { Avatar } from '../../ui/Avatar';
import { useListboxKeys } from '../../ui/useListboxKeys';
import { type SearchUsers, useUserSuggestions } from './useUserSuggestions';

interface UserSuggestFieldProps {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  placeholder: string;
  autoFocus?: boolean;
  search: SearchUsers;
  /** People not to suggest (oneself, those already in the room). */
  exclude?: ReadonlySet<string>;
  /** A suggestion was picked (its username is now the value). */
  onPicked?: (user: UserRef) => void;
}

/**
 * The "Username" field with suggestions as one types: an ARIA combobox whose listbox lists
 * people by display name and username. Up and Down move through them, Enter or a click picks one
 * (the username fills the field), Escape closes the list; typing a username by hand still works.
 */
export function UserSuggestField(props: UserSuggestFieldProps) {
  const { value, onChange, error, placeholder, autoFocus, search, exclude, onPicked } = props;
  const id = useId();
  const listId = `${id}-list`;
  const noteId = `${id}-note`;
  const [open, setOpen] = useState(true);
  const typed = value.trim().replace(/^@/, '');
  const found = useUserSuggestions(search, value);
  // The exact username typed needs no suggesting; neither do the excluded.
  const suggestions = found.filter((user) => !exclude?.has(user.id) && user.username !== typed).slice(0, 8);
  const shown = open && suggestions.length > 0;
  const pick = (index: number) => {
    const user = suggestions[index];
    if (!user) return;
    onChange(user.username);
    setOpen(false);
    onPicked?.(user);
  };
  const keys = useListboxKeys(shown ? suggestions.length : 0, pick);

  return (
    <div className="field user-suggest">
      <label htmlFor={id}>Username</label>
      <input
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setOpen(true);
          keys.reset();
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && shown) {
            // Closes the list only, not the dialog around it.
            event.preventDefault();
            event.stopPropagation();
            event.nativeEvent.stopImmediatePropagation();
            setOpen(false);
            return;
          }
          keys.onKeyDown(event);
        }}
        onBlur={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        placeholder={placeholder}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={256}
        // biome-ignore lint/a11y/noAutofocus: the dialog's one field takes the focus when it opens.
        autoFocus={autoFocus}
        role="combobox"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && keys.active >= 0 ? `${listId}-${keys.active}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? noteId : undefined}
      />
      <div id={listId} role="listbox" aria-label="Suggestions" className="user-suggest__list" hidden={!shown}>
        {suggestions.map((user, index) => (
          <div
            key={user.id}
            id={`${listId}-${index}`}
            role="option"
            tabIndex={-1}
            aria-selected={index === keys.active}
            className="user-suggest__option"
            // Picks before the input's blur closes the list.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(index);
            }}
            onMouseMove={() => keys.setActive(index)}
          >
            <Avatar userId={user.id} name={user.displayName} url={user.avatarUrl} size="sm" />
            <span className="user-suggest__name">{user.displayName}</span>
            <span className="user-suggest__username">@{user.username}</span>
          </div>
        ))}
      </div>
      {error ? (
        <p className="field__error" id={noteId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
