import type { Member, Room, RoomRole, User } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { isApiError } from '../../api/ApiError';
import { useFormSubmit } from '../../hooks/useFormSubmit';
import type { ChatState } from '../../state/ChatStore';
import { Avatar } from '../../ui/Avatar';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { describeForPeople } from '../../ui/fieldMessages';
import { LeaveIcon } from '../../ui/Icons';
import { canModerate } from '../../util/roomLabel';
import type { SearchUsers } from '../people/useUserSuggestions';
import { PresenceDot } from '../presence/PresenceDot';
import { presenceOf } from '../presence/presenceOf';
import { toUsername, UsernameField, userFailure } from './UsernameField';

export interface MemberActions {
  onAdd: (username: string) => Promise<unknown>;
  onRemove: (userId: string) => Promise<unknown>;
  onSetRole: (userId: string, role: 'admin' | 'member') => Promise<unknown>;
  onLeave: () => Promise<unknown>;
}

interface MembersDialogProps extends MemberActions {
  room: Room;
  /** The room's title as shown (a DM's other people). */
  title: string;
  me: User;
  /** Undefined while loading. */
  members: Member[] | undefined;
  /** Presence frames since the list was read (see `isOnline`). */
  presence?: ChatState['presence'];
  onClose: () => void;
  /** Suggests people as one types a username to add. */
  searchUsers?: SearchUsers;
}

const ROLE_ORDER: Record<RoomRole, number> = { owner: 0, admin: 1, member: 2 };
const ROLE_LABEL: Record<RoomRole, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };

/**
 * Who is in the room and their roles. Owners and admins add people by username and remove
 * members (an admin only plain members); the owner makes members admins and back; anyone but a
 * DM's members can leave.
 */
export function MembersDialog(props: MembersDialogProps) {
  const { room, title, me, members, presence = {}, onClose, searchUsers, ...actions } = props;
  const inRoom = new Set((members ?? []).map((member) => member.user.id));
  const [username, setUsername] = useState('');
  const { errors: addError, busy: adding, submit } = useFormSubmit<string | undefined>(undefined);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busyUser, setBusyUser] = useState<string | null>(null);
  const myRole = room.membership;
  const moderator = canModerate(room);
  const sorted = [...(members ?? [])].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.user.displayName.localeCompare(b.user.displayName),
  );

  const mayRemove = (member: Member) =>
    moderator &&
    member.user.id !== me.id &&
    member.role !== 'owner' &&
    (member.role === 'member' || myRole === 'owner');

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = toUsername(username);
    await submit({
      invalid: name === '' ? 'Type the username of the person to add.' : undefined,
      call: () => actions.onAdd(name),
      done: () => setUsername(''),
      failed: (error) =>
        isApiError(error) && error.status === 409
          ? `${name} is already in this room.`
          : userFailure(name, error),
    });
  }

  async function act(userId: string, run: () => Promise<unknown>) {
    setBusyUser(userId);
    setActionError(null);
    try {
      await run();
    } catch (error) {
      setActionError(describeForPeople(error));
    } finally {
      setBusyUser(null);
    }
  }

  const count = members?.length;
  return (
    <Dialog
      title={room.visibility === 'dm' ? title : `Members of #${title}`}
      description={count === undefined ? 'Loading…' : `${count} ${count === 1 ? 'person' : 'people'}`}
      onClose={onClose}
      size="wide"
    >
      {moderator ? (
        <form className="members__add" onSubmit={add} noValidate aria-label="Add people">
          <UsernameField
            value={username}
            onChange={setUsername}
            error={addError}
            placeholder="Add people by username"
            search={searchUsers}
            exclude={inRoom}
          />
          <button type="submit" className="button button--primary members__add-button" disabled={adding}>
            Add
          </button>
        </form>
      ) : null}
      <FormError message={actionError} />
      {members === undefined ? (
        <div className="dialog__empty">
          <span className="spinner" aria-hidden="true" />
        </div>
      ) : (
        <ul className="members" aria-label="Members">
          {sorted.map((member) => {
            const { user } = member;
            const busy = busyUser === user.id;
            const status = user.id === me.id ? 'online' : presenceOf(presence, user.id, members);
            return (
              <li key={user.id} className="members__item" data-testid="member">
                <span className="members__avatar">
                  <Avatar userId={user.id} name={user.displayName} url={user.avatarUrl} />
                  {status === undefined ? null : <PresenceDot status={status} />}
                </span>
                <span className="members__text">
                  <span className="members__name">
                    {user.displayName}
                    {user.id === me.id ? <span className="members__you"> (you)</span> : null}
                    {member.role !== 'member' ? (
                      <span className={`role-badge role-badge--${member.role}`}>
                        {ROLE_LABEL[member.role]}
                      </span>
                    ) : null}
                  </span>
                  <span className="members__handle">@{user.username}</span>
                </span>
                <span className="members__actions">
                  {myRole === 'owner' && member.role !== 'owner' && room.visibility !== 'dm' ? (
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      disabled={busy}
                      onClick={() =>
                        void act(user.id, () =>
                          actions.onSetRole(user.id, member.role === 'admin' ? 'member' : 'admin'),
                        )
                      }
                    >
                      {member.role === 'admin' ? 'Remove admin' : 'Make admin'}
                    </button>
                  ) : null}
                  {mayRemove(member) ? (
                    <button
                      type="button"
                      className="button button--danger-soft button--small"
                      aria-label={`Remove ${user.displayName}`}
                      disabled={busy}
                      onClick={() => void act(user.id, () => actions.onRemove(user.id))}
                    >
                      Remove
                    </button>
                  ) : null}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {room.visibility !== 'dm' ? (
        <div className="dialog__footer">
          <button
            type="button"
            className="button button--ghost members__leave"
            onClick={() => void act(me.id, actions.onLeave)}
          >
            <LeaveIcon width={16} height={16} />
            Leave room
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}
