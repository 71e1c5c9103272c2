/**
 * A person's new name or picture (`user.updated`, or one's own change) put everywhere the app
 * already shows them: oneself, member lists (and so DM names), loaded messages and their thread
 * summaries, who is typing. Pages loaded later come from the server already up to date.
 */
import type { Message, UserRef } from '@parley/protocol';
import type { ChatState } from './ChatStore';

type Profile = Pick<UserRef, 'id' | 'displayName'> & { avatarUrl?: string | null | undefined };

export function applyProfile(state: ChatState, profile: Profile): ChatState {
  const changes = { displayName: profile.displayName, avatarUrl: profile.avatarUrl ?? null };
  const update = <U extends { id: string }>(user: U): U =>
    user.id === profile.id ? { ...user, ...changes } : user;
  const updateMessage = (message: Message): Message => {
    const thread = message.thread;
    const touchesThread = thread?.lastRepliers.some((user) => user.id === profile.id) ?? false;
    if (message.author.id !== profile.id && !touchesThread) return message;
    return {
      ...message,
      author: update(message.author),
      ...(thread && touchesThread
        ? { thread: { ...thread, lastRepliers: thread.lastRepliers.map(update) } }
        : {}),
    };
  };
  return {
    ...state,
    me: update(state.me),
    members: mapValues(state.members, (members) =>
      members.some((member) => member.user.id === profile.id)
        ? members.map((member) => ({ ...member, user: update(member.user) }))
        : members,
    ),
    timelines: mapValues(state.timelines, (timeline) => {
      const messages = timeline.messages.map(updateMessage);
      return messages.every((message, index) => message === timeline.messages[index])
        ? timeline
        : { ...timeline, messages };
    }),
    typing: mapValues(state.typing, (users) => users.map(update)),
  };
}

function mapValues<V>(record: Readonly<Record<string, V>>, change: (value: V) => V): Record<string, V> {
  const result: Record<string, V> = {};
  for (const [key, value] of Object.entries(record)) result[key] = change(value);
  return result;
}
