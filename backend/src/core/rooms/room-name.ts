/**
 * Room names are unique, ignoring case and surrounding spaces, among the rooms one can see: two
 * "#general" entries side by side in a sidebar cannot be told apart. DMs have no name of their
 * own and are left out; so are private rooms the person cannot see (their names must not leak,
 * and a clash there is invisible to them anyway).
 */
import { AppError } from '../errors.js';
import type { Repositories } from '../ports/database.js';

/** The form two names are compared in: trimmed, canonical Unicode, lower case. */
export function roomNameKey(name: string): string {
  return name.trim().normalize('NFKC').toLocaleLowerCase('und');
}

/** 409 `conflict` naming the field, so a form can show it next to the name. */
function nameTaken(name: string): AppError {
  const message = `A room named “${name.trim()}” already exists. Choose another name.`;
  return new AppError('conflict', message, { fields: [{ path: 'name', message }] });
}

/**
 * Refuses `name` when another room `userId` can see already has it (`exceptRoomId`: the room
 * being renamed). Runs inside the transaction that creates or renames the room.
 */
export async function requireFreeRoomName(
  repositories: Pick<Repositories, 'rooms'>,
  userId: string,
  name: string,
  exceptRoomId?: string,
): Promise<void> {
  const key = roomNameKey(name);
  const rooms = await repositories.rooms.listVisibleTo(userId);
  const clash = rooms.some(
    (room) => room.visibility !== 'dm' && room.id !== exceptRoomId && roomNameKey(room.name) === key,
  );
  if (clash) throw nameTaken(name);
}
