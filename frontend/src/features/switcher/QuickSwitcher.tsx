import type { Member, Room, User, UserRef } from '@parley/protocol';
import { useId, useState } from 'react';
import { describeError } from '../../api/ApiError';
import { Avatar } from '../../ui/Avatar';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { HashIcon, LockIcon } from '../../ui/Icons';
import { useListboxKeys } from '../../ui/useListboxKeys';
import { type SearchUsers, useUserSuggestions } from '../people/useUserSuggestions';
import { type SwitcherItem, switcherItems } from './switcherItems';

interface QuickSwitcherProps {
  rooms: readonly Room[];
  me: User;
  members: Readonly<Record<string, Member[]>>;
  unread: Readonly<Record<string, number>>;
  searchUsers: SearchUsers;
  /** Opens a room (joining it first when it is public and one is not in it). */
  onOpenRoom: (room: Room) => Promise<unknown> | undefined;
  /** Opens (or starts) the DM with a person. */
  onOpenPerson: (user: UserRef) => Promise<unknown>;
  onClose: () => void;
}

/**
 * Ctrl/Cmd+K: type a few letters of a room or a person, move with the arrows, Enter to go.
 * An ARIA combobox (the focus stays in the input, `aria-activedescendant` names the option)
 * over one listbox of rooms, then people found by the server.
 */
export function QuickSwitcher(props: QuickSwitcherProps) {
  const { rooms, me, members, unread, searchUsers, onOpenRoom, onOpenPerson, onClose } = props;
  const id = useId();
  const listId = `${id}-list`;
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const people = useUserSuggestions(searchUsers, query.replace(/^[#@]/, ''));
  const items = switcherItems(query, { rooms, me, members, unread, people });

  async function open(item: SwitcherItem | undefined) {
    if (!item || busy) return;
    setBusy(true);
    setError(null);
    try {
      await (item.kind === 'room' ? onOpenRoom(item.room) : onOpenPerson(item.user));
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }
  const keys = useListboxKeys(items.length, (index) => void open(items[index]));
  const activeId = keys.active >= 0 ? `${listId}-${keys.active}` : undefined;

  return (
    <Dialog title="Jump to" description="A room, or a person to write to." onClose={onClose}>
      <div className="switcher">
        <FormError message={error} />
        <input
          className="switcher__input"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            keys.reset();
          }}
          onKeyDown={keys.onKeyDown}
          placeholder="Find a room or a person"
          aria-label="Find a room or a person"
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          autoComplete="off"
          spellCheck={false}
          autoFocus
        />
        <div id={listId} role="listbox" aria-label="Rooms and people" className="switcher__list">
          {items.map((item, index) => (
            <div
              key={item.key}
              id={`${listId}-${index}`}
              role="option"
              tabIndex={-1}
              aria-selected={index === keys.active}
              className="switcher__option"
              onClick={() => void open(item)}
              onKeyDown={() => undefined}
              onMouseMove={() => keys.setActive(index)}
            >
              <ItemLine item={item} />
            </div>
          ))}
        </div>
        {items.length === 0 ? <p className="switcher__empty">Nothing matches “{query.trim()}”.</p> : null}
        <p className="switcher__keys" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close
        </p>
      </div>
    </Dialog>
  );
}

function ItemLine({ item }: { item: SwitcherItem }) {
  if (item.kind === 'person') {
    return (
      <>
        <Avatar userId={item.user.id} name={item.user.displayName} url={item.user.avatarUrl} size="sm" />
        <span className="switcher__name">{item.user.displayName}</span>
        <span className="switcher__detail">@{item.user.username} · new message</span>
      </>
    );
  }
  const { room, label, unread } = item;
  return (
    <>
      <span className="switcher__icon" aria-hidden="true">
        {room.visibility === 'dm' ? (
          <Avatar userId={room.id} name={label} size="sm" />
        ) : room.visibility === 'private' ? (
          <LockIcon width={16} height={16} />
        ) : (
          <HashIcon width={16} height={16} />
        )}
      </span>
      <span className="switcher__name">{label}</span>
      {room.membership === null ? <span className="switcher__detail">public · join</span> : null}
      {unread > 0 ? <span className="switcher__unread">{unread} unread</span> : null}
    </>
  );
}
