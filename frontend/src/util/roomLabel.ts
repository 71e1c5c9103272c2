import type { Member, Room, User, UserRef } from '@parley/protocol';

/**
 * The people of a DM other than oneself: from its member list when loaded, else from its name
 * (the server names a DM after everyone in it, joined by ", ").
 */
export function dmOthers(room: Room, me: User, members: Member[] | undefined): UserRef[] {
  if (members && members.length > 0) {
    const others = members.filter((member) => member.user.id !== me.id).map((member) => member.user);
    return others.length > 0 ? others : [me];
  }
  const names = room.name.split(', ');
  const mine = names.indexOf(me.displayName);
  if (mine >= 0 && names.length > 1) names.splice(mine, 1);
  return names.map((displayName, index) => ({ id: `${room.id}:${index}`, username: '', displayName }));
}

/** What a room is called on screen: its name, or for a DM the other people's names. */
export function roomLabel(room: Room, me: User, members: Member[] | undefined): string {
  if (room.visibility !== 'dm') return room.name;
  return dmOthers(room, me, members)
    .map((person) => person.displayName)
    .join(', ');
}

/** Whether one may rename the room, add and remove people: its owner and admins, never in a DM. */
export function canModerate(room: Room): boolean {
  return room.visibility !== 'dm' && (room.membership === 'owner' || room.membership === 'admin');
}
