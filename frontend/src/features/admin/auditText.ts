/** The audit log in plain words: who, what, to whom. */
import type { AuditEvent, UserRef } from '@parley/protocol';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

const FAILURE_REASONS: Record<string, string> = {
  unknown_user: 'no such account',
  wrong_password: 'wrong password',
  deactivated: 'account deactivated',
};

/** "Ada Lovelace (@ada)". */
export function personLabel(user: UserRef): string {
  return user.displayName === user.username ? `@${user.username}` : `${user.displayName} (@${user.username})`;
}

const detail = (event: AuditEvent, key: string): string | number | boolean | undefined => event.details[key];

const roomOf = (event: AuditEvent): string => {
  const name = detail(event, 'roomName');
  return typeof name === 'string' && name !== '' ? `#${name}` : 'a room';
};

/** What happened, as a sentence without its subject ("Signed in", "Made a room admin in #ops"). */
export function describeAuditEvent(event: AuditEvent): string {
  switch (event.type) {
    case 'auth.login':
      return 'Signed in';
    case 'auth.login_failed': {
      const reason = FAILURE_REASONS[String(detail(event, 'reason'))];
      return `Failed sign-in as “${String(detail(event, 'username') ?? '?')}”${reason ? ` (${reason})` : ''}`;
    }
    case 'auth.logout':
      return 'Signed out';
    case 'auth.register':
      return detail(event, 'instanceAdmin') === true
        ? 'Created an account (the instance admin)'
        : 'Created an account';
    case 'session.revoked': {
      if (detail(event, 'scope') === 'others') {
        const count = Number(detail(event, 'count') ?? 0);
        return `Signed out everywhere else (${plural(count, 'session', 'sessions')})`;
      }
      return 'Signed out one of their sessions';
    }
    case 'password.changed': {
      const ended = Number(detail(event, 'sessionsEnded') ?? 0);
      return ended > 0
        ? `Changed their password (${plural(ended, 'other session', 'other sessions')} signed out)`
        : 'Changed their password';
    }
    case 'user.deactivated':
      return 'Deactivated an account';
    case 'room.role_changed':
      return detail(event, 'role') === 'admin'
        ? `Made a room admin in ${roomOf(event)}`
        : `Made a member again in ${roomOf(event)}`;
    case 'member.removed':
      return `Removed from ${roomOf(event)}`;
    case 'dlq.retried':
      return `Retried a failed ${detail(event, 'jobType') === 'file' ? 'file' : 'message'} job`;
    default:
      return event.type;
  }
}

/** Who or what it was done to; undefined when the event has no target. */
export function targetLabel(event: AuditEvent): string | undefined {
  const target = event.target;
  if (!target) return undefined;
  if (target.kind === 'user') {
    if (target.user) return personLabel(target.user);
    const username = detail(event, 'username');
    return typeof username === 'string' ? `@${username}` : 'Unknown account';
  }
  const shortId = target.id.slice(-8);
  return target.kind === 'job' ? `Job …${shortId}` : `Session …${shortId}`;
}
