/**
 * The parts a found message shows in a list beside the room (search results, the Mentions
 * inbox): where it was said, and who said it when.
 */
import type { Message, SearchResultRoom } from '@parley/protocol';
import type { ReactNode } from 'react';
import { HashIcon, LockIcon } from '../../ui/Icons';
import { formatDay, formatFullDate, formatTime } from '../../util/format';

/** The room's icon and name ("Direct message · Ada" for a DM); `children` follow the name. */
export function ResultRoom({ room, children }: { room: SearchResultRoom; children?: ReactNode }) {
  return (
    <span className="search-result__room">
      {room.kind === 'private' ? (
        <LockIcon width={12} height={12} />
      ) : room.kind === 'public' ? (
        <HashIcon width={12} height={12} />
      ) : null}
      {room.kind === 'dm' ? `Direct message · ${room.name}` : room.name}
      {children}
    </span>
  );
}

/** The author and the day and time; `children` come first (an unread dot, say). */
export function ResultMeta({ message, children }: { message: Message; children?: ReactNode }) {
  return (
    <span className="search-result__meta">
      {children}
      <span className="search-result__author">{message.author.displayName}</span>
      <time dateTime={message.createdAt} title={formatFullDate(message.createdAt)}>
        {formatDay(message.createdAt)}, {formatTime(message.createdAt)}
      </time>
    </span>
  );
}
