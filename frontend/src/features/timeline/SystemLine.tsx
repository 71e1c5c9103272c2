import type { User } from '@parley/protocol';
import type { SystemEvent } from '../../state/timeline';
import { LeaveIcon, PlusIcon, UsersIcon } from '../../ui/Icons';
import { formatFullDate, formatTime } from '../../util/format';

interface SystemLineProps {
  event: SystemEvent;
  me: User;
  /** The room's name and topic before a `room.updated`, when known (the previous update). */
  before?: { name: string; topic: string } | undefined;
}

/** A compact line for a change in the room: "Ben joined", "Ada removed Ben", "Ada renamed the room to …". */
export function SystemLine({ event, me, before }: SystemLineProps) {
  return (
    <div className="system-line" data-testid="system-line" data-seq={event.seq}>
      <span className="system-line__icon" aria-hidden="true">
        {event.type === 'member.joined' ? <PlusIcon width={13} height={13} /> : null}
        {event.type === 'member.left' ? <LeaveIcon width={13} height={13} /> : null}
        {event.type === 'member.role_changed' || event.type === 'room.updated' ? (
          <UsersIcon width={13} height={13} />
        ) : null}
      </span>
      <span className="system-line__text">{describeSystemEvent(event, me, before)}</span>
      <time dateTime={event.at} title={formatFullDate(event.at)}>
        {formatTime(event.at)}
      </time>
    </div>
  );
}

/** The sentence for a system event, with "you" for oneself. */
export function describeSystemEvent(
  event: SystemEvent,
  me: User,
  before?: { name: string; topic: string },
): string {
  const actor = event.actor.id === me.id ? 'You' : event.actor.displayName;
  switch (event.type) {
    case 'member.joined': {
      if (event.data.user.id === event.actor.id) return `${actor} joined`;
      return `${actor} added ${nameOf(event.data.user, me)}`;
    }
    case 'member.left': {
      if (event.data.user.id === event.actor.id) return `${actor} left`;
      return `${actor} removed ${nameOf(event.data.user, me)}`;
    }
    case 'member.role_changed': {
      const who = nameOf(event.data.user, me);
      if (event.data.role === 'owner')
        return `${capitalize(who)} ${who === 'you' ? 'are' : 'is'} now the owner`;
      return event.data.role === 'admin' ? `${actor} made ${who} an admin` : `${actor} made ${who} a member`;
    }
    case 'room.updated': {
      const { name, topic } = event.data;
      if (before) {
        const changes: string[] = [];
        if (name !== before.name) changes.push(`renamed the room to #${name}`);
        if (topic !== before.topic)
          changes.push(topic ? `changed the topic to “${topic}”` : 'cleared the topic');
        if (changes.length > 0) return `${actor} ${changes.join(' and ')}`;
      }
      return topic
        ? `${actor} updated the room: #${name} — “${topic}”`
        : `${actor} renamed the room to #${name}`;
    }
  }
}

function nameOf(user: { id: string; displayName: string }, me: User): string {
  return user.id === me.id ? 'you' : user.displayName;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
