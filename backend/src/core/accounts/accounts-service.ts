import type {
  ChangePasswordBody,
  LoginBody,
  RegisterBody,
  SessionSummary,
  User,
  UserSettings,
} from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import { type AuditEntry, audit } from '../audit/audit-log.js';
import { ExpiringCache } from '../cache/expiring-cache.js';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { AppError, conflict, invalidField, notFound, rateLimited, unauthenticated } from '../errors.js';
import { hashSecret, newId, newSecret } from '../ids.js';
import { type CommonPasswords, noCommonPasswords } from '../ports/common-passwords.js';
import type { Database } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { FailureLimiter, RateLimiter } from '../ports/rate-limiter.js';
import type { SessionRecord, UserRecord } from '../ports/records.js';
import { DEFAULT_ROOM_SLUG } from '../rooms/default-room.js';
import { joinRoom } from '../rooms/membership.js';
import type { Transaction, UnitOfWork } from '../unit-of-work.js';
import { type Principal, toUser } from './principal.js';
import { DEFAULT_SESSION_IDLE_MS, endsAt, idleCutoff, isStale, staleBefore } from './session-activity.js';

/** How long a session lasts after sign-in. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/**
 * A live session found by its token is remembered this long, so each request does not cost a
 * query. Logout and deactivation forget it at once (`session-ended`, which also closes sockets).
 * Only where that forgetting is synchronous, in one process: with several instances the news
 * reaches the others over pub/sub, after the 204, and the contract says a logged-out token
 * answers 401 "at once, everywhere", so there every request reads the session (see
 * `principalCacheMs`).
 */
const PRINCIPAL_CACHE_MS = 5_000;
const PRINCIPAL_CACHE_ENTRIES = 50_000;

export interface Credentials {
  user: User;
  token: string;
  sessionId: string;
}

export interface AccountLimits {
  /** Failed sign-ins per username and per client address. */
  loginFailures: { perUsername: FailureLimiter; perAddress: FailureLimiter };
  /** New accounts per client address. */
  registrationsPerAddress: RateLimiter;
}

export interface AccountsOptions {
  clock?: Clock;
  sessionLifetimeMs?: number;
  /** A session unused this long ends (`SESSION_IDLE_DAYS`); 0: only the absolute expiry. */
  sessionIdleMs?: number;
  /** Passwords refused at sign-up and on a change because everyone tries them first. */
  commonPasswords?: CommonPasswords;
  /**
   * How long a live session is remembered (default 5 s); 0 when several instances share the
   * database, since another instance's logout would reach this one only by a pub/sub packet.
   */
  principalCacheMs?: number;
}

/** A remembered live session: who it is, and when it was last recorded as used. */
interface KnownSession {
  principal: Principal;
  lastSeenAt: string | null;
}

export class AccountsService {
  private readonly dummyHash: Promise<string>;
  /** By token hash. */
  private readonly principals: ExpiringCache<string, KnownSession>;

  private readonly clock: Clock;
  private readonly sessionLifetimeMs: number;
  private readonly sessionIdleMs: number;
  private readonly commonPasswords: CommonPasswords;

  constructor(
    private readonly db: Database,
    private readonly work: UnitOfWork,
    private readonly hasher: PasswordHasher,
    fanOut: FanOut,
    private readonly limits: AccountLimits,
    options: AccountsOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.sessionLifetimeMs = options.sessionLifetimeMs ?? SESSION_LIFETIME_MS;
    this.sessionIdleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
    this.commonPasswords = options.commonPasswords ?? noCommonPasswords;
    this.principals = new ExpiringCache(
      options.principalCacheMs ?? PRINCIPAL_CACHE_MS,
      PRINCIPAL_CACHE_ENTRIES,
    );
    this.dummyHash = hasher.hash(newSecret());
    fanOut.subscribe((message) => {
      if (message.kind === 'session-ended') {
        this.principals.invalidate((_, known) => known.principal.sessionId === message.sessionId);
      }
      // A new name or avatar: `GET /me` and the ready frame must not show the old one for 5 s.
      if (message.kind === 'profile-changed') {
        this.principals.invalidate((_, known) => known.principal.user.id === message.user.id);
      }
    });
  }

  /** Creates an account (the first is the instance admin), joins it to `general`, opens a session. */
  async register(input: RegisterBody, clientAddress: string, userAgent?: string): Promise<Credentials> {
    this.refuseCommon('password', input.password);
    const verdict = await this.limits.registrationsPerAddress.consume(clientAddress);
    if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
    const passwordHash = await this.hasher.hash(input.password);
    const now = this.now();
    const record: UserRecord = {
      id: newId(),
      username: input.username,
      displayName: input.displayName ?? input.username,
      role: 'member',
      passwordHash,
      deactivatedAt: null,
      createdAt: now,
    };
    await this.work.run(async (tx) => {
      // Atomic across instances: of concurrent first sign-ups only one claims the first account.
      if (await tx.users.claimFirstAccount(record.id)) record.role = 'admin';
      if (!(await tx.users.insert(record))) throw conflict('That username is taken.');
      const general = await tx.rooms.findBySlug(DEFAULT_ROOM_SLUG);
      if (!general) throw new AppError('unavailable', 'The default room is missing.');
      await joinRoom(tx, general.id, record, 'member', record);
      await audit(tx, now, {
        type: 'auth.register',
        actorId: record.id,
        clientAddress,
        details: { username: record.username, instanceAdmin: record.role === 'admin' },
      });
    });
    return this.openSession(record, userAgent);
  }

  /**
   * Same answer for an unknown user and a wrong password, after the same work. Failures are
   * counted per username and per client address; past the limit, attempts get rate_limited.
   */
  async login(input: LoginBody, clientAddress: string, userAgent?: string): Promise<Credentials> {
    const username = input.username.toLowerCase();
    return this.throttled(username, clientAddress, () =>
      this.verifyLogin(username, input.password, clientAddress, userAgent),
    );
  }

  private async verifyLogin(
    username: string,
    password: string,
    clientAddress: string,
    userAgent?: string,
  ): Promise<Credentials> {
    const user = await this.db.users.findByUsername(username);
    // Verify against a throwaway hash for unknown users too, so timing does not reveal who exists.
    const valid = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verify(await this.dummyHash, password).then(() => false);
    if (!user || !valid || user.deactivatedAt) {
      // Nothing changed, so no transaction; the username tried, never the password.
      await audit(this.db, this.now(), {
        type: 'auth.login_failed',
        clientAddress,
        details: {
          username,
          reason: !user ? 'unknown_user' : !valid ? 'wrong_password' : 'deactivated',
        },
      });
      throw unauthenticated('Wrong username or password.');
    }
    return this.openSession(user, userAgent, { type: 'auth.login', actorId: user.id, clientAddress });
  }

  /**
   * A password check under the login throttle: refused with rate_limited while the username or
   * the address is past its limit, and every failure counted against both.
   */
  private async throttled<T>(username: string, clientAddress: string, check: () => Promise<T>): Promise<T> {
    const wait = Math.max(
      await this.limits.loginFailures.perUsername.blockedFor(username),
      await this.limits.loginFailures.perAddress.blockedFor(clientAddress),
    );
    if (wait > 0) throw rateLimited(wait);
    try {
      return await check();
    } catch (error) {
      await this.limits.loginFailures.perUsername.recordFailure(username);
      await this.limits.loginFailures.perAddress.recordFailure(clientAddress);
      throw error;
    }
  }

  /** A password on the common list is refused with 400 naming the field, before any hashing. */
  private refuseCommon(path: string, password: string): void {
    if (this.commonPasswords.isCommon(password)) {
      throw invalidField(path, 'is one of the most common passwords; choose one that is harder to guess');
    }
  }

  /**
   * Changes the caller's password and ends every other session of the account (their sockets
   * close with 4001); the calling session stays. A wrong current password is 403 `forbidden`
   * (the caller is signed in; 401 would tell the app its session ended) and counts as a failed
   * sign-in for the login throttle, so a stolen session cannot guess the password faster.
   */
  async changePassword(
    principal: Principal,
    input: ChangePasswordBody,
    clientAddress: string,
  ): Promise<void> {
    const userId = principal.user.id;
    await this.throttled(principal.user.username, clientAddress, async () => {
      const user = await this.db.users.findById(userId);
      if (!user || !(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
        throw new AppError('forbidden', 'That is not your current password.', {
          fields: [{ path: 'currentPassword', message: 'is not your current password' }],
        });
      }
    });
    this.refuseCommon('newPassword', input.newPassword);
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.work.run(async (tx) => {
      await tx.users.setPasswordHash(userId, passwordHash);
      const ended = await tx.sessions.revokeAllOf(userId, this.now(), principal.sessionId);
      this.endSessions(tx, ended);
      await audit(tx, this.now(), {
        type: 'password.changed',
        actorId: userId,
        clientAddress,
        details: { sessionsEnded: ended.length },
      });
    });
  }

  /** The caller's live sessions, the most recently used first. */
  async listSessions(principal: Principal): Promise<SessionSummary[]> {
    const nowMs = this.clock.nowMs();
    const sessions = await this.db.sessions.listLiveOf(
      principal.user.id,
      this.now(),
      idleCutoff(nowMs, this.sessionIdleMs),
    );
    return sessions.map((session) => this.toSummary(session, principal.sessionId));
  }

  /** Ends one of the caller's sessions (its sockets close with 4001); 404 for anyone else's. */
  async revokeSession(principal: Principal, sessionId: string, clientAddress?: string): Promise<void> {
    await this.work.run(async (tx) => {
      if (!(await tx.sessions.revokeOf(principal.user.id, sessionId, this.now()))) {
        throw notFound('No such session.');
      }
      this.endSessions(tx, [sessionId]);
      await audit(tx, this.now(), {
        type: 'session.revoked',
        actorId: principal.user.id,
        targetId: sessionId,
        clientAddress,
        details: { scope: 'one', count: 1 },
      });
    });
  }

  /** "Sign out everywhere else": ends every session of the caller but the calling one. */
  async revokeOtherSessions(principal: Principal, clientAddress?: string): Promise<void> {
    await this.work.run(async (tx) => {
      const ended = await tx.sessions.revokeAllOf(principal.user.id, this.now(), principal.sessionId);
      this.endSessions(tx, ended);
      await audit(tx, this.now(), {
        type: 'session.revoked',
        actorId: principal.user.id,
        clientAddress,
        details: { scope: 'others', count: ended.length },
      });
    });
  }

  /** After the commit, every instance forgets these sessions and closes their sockets (4001). */
  private endSessions(tx: Transaction, sessionIds: string[]): void {
    for (const sessionId of sessionIds) tx.publishAfterCommit({ kind: 'session-ended', sessionId });
  }

  private toSummary(session: SessionRecord, currentSessionId: string): SessionSummary {
    return {
      id: session.id,
      createdAt: session.createdAt,
      ...(session.lastSeenAt ? { lastSeenAt: session.lastSeenAt } : {}),
      expiresAt: endsAt(session, this.sessionIdleMs),
      current: session.id === currentSessionId,
      ...(session.userAgent ? { userAgent: session.userAgent } : {}),
    };
  }

  async settings(principal: Principal): Promise<UserSettings> {
    return { shareReadReceipts: await this.db.users.shareReadReceipts(principal.user.id) };
  }

  async updateSettings(principal: Principal, settings: UserSettings): Promise<UserSettings> {
    await this.db.users.setShareReadReceipts(principal.user.id, settings.shareReadReceipts);
    return this.settings(principal);
  }

  async logout(principal: Principal, clientAddress?: string): Promise<void> {
    await this.work.run(async (tx) => {
      await tx.sessions.revoke(principal.sessionId, this.now());
      this.endSessions(tx, [principal.sessionId]);
      await audit(tx, this.now(), { type: 'auth.logout', actorId: principal.user.id, clientAddress });
    });
  }

  /**
   * The principal behind a bearer token or session cookie value, or undefined. A use of the
   * session is recorded (at most once an hour, see session-activity.ts).
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined;
    const nowMs = this.clock.nowMs();
    const now = this.now();
    const cutoff = idleCutoff(nowMs, this.sessionIdleMs);
    const tokenHash = hashSecret(token);
    const load = () =>
      this.principals.getOrLoad(tokenHash, async () => {
        const found = await this.db.sessions.findLive({ tokenHash }, now, cutoff);
        return found && { principal: principalOf(found), lastSeenAt: found.session.lastSeenAt ?? null };
      });
    let known = await load();
    if (known && cutoff !== undefined && known.lastSeenAt !== null && known.lastSeenAt <= cutoff) {
      // Remembered as idle; another instance, or the socket recheck, may have seen it used since.
      this.principals.invalidate((key) => key === tokenHash);
      known = await load();
    }
    // A session may expire while it is remembered.
    if (!known || known.principal.sessionExpiresAt <= now) return undefined;
    await this.noteUse(known, nowMs);
    return known.principal;
  }

  /** Records a use of the session when the stored time is over an hour old; no query otherwise. */
  private async noteUse(known: KnownSession, nowMs: number): Promise<void> {
    if (!isStale(known.lastSeenAt, nowMs)) return;
    const now = new Date(nowMs).toISOString();
    known.lastSeenAt = now; // Before the write: concurrent requests do not repeat it.
    await this.db.sessions.touch(
      [known.principal.sessionId],
      now,
      staleBefore(nowMs),
      idleCutoff(nowMs, this.sessionIdleMs),
    );
  }

  async issueWsTicket(principal: Principal): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = newSecret();
    const expiresAt = isoAt(this.clock, LIMITS.wsTicketSeconds * 1000);
    await this.db.tickets.insert({
      ticketHash: hashSecret(ticket),
      sessionId: principal.sessionId,
      userId: principal.user.id,
      expiresAt,
    });
    return { ticket, expiresAt };
  }

  /** Redeems a single-use WebSocket ticket; the session behind it must still be live. */
  async redeemWsTicket(ticket: string): Promise<Principal | undefined> {
    if (!ticket || ticket.length > 200) return undefined;
    const now = this.now();
    const used = await this.db.tickets.consume(hashSecret(ticket), now);
    if (!used) return undefined;
    // The ticket's session must still be live: a logout also voids its unused tickets.
    const nowMs = this.clock.nowMs();
    const found = await this.db.sessions.findLive(
      { id: used.sessionId },
      now,
      idleCutoff(nowMs, this.sessionIdleMs),
    );
    if (!found) return undefined;
    const known = { principal: principalOf(found), lastSeenAt: found.session.lastSeenAt ?? null };
    await this.noteUse(known, nowMs);
    return known.principal;
  }

  /** Opens a session; with `entry`, records it in the audit log in the same transaction. */
  private async openSession(
    user: UserRecord,
    userAgent: string | undefined,
    entry?: AuditEntry,
  ): Promise<Credentials> {
    const token = newSecret();
    const now = this.now();
    const sessionId = newId();
    const session: SessionRecord = {
      id: sessionId,
      userId: user.id,
      tokenHash: hashSecret(token),
      createdAt: now,
      expiresAt: isoAt(this.clock, this.sessionLifetimeMs),
      revokedAt: null,
      lastSeenAt: now,
      userAgent: cleanUserAgent(userAgent),
    };
    if (entry) {
      await this.work.run(async (tx) => {
        await tx.sessions.insert(session);
        await audit(tx, now, { ...entry, details: { ...entry.details, sessionId } });
      });
    } else {
      await this.db.sessions.insert(session);
    }
    return { user: toUser(user), token, sessionId };
  }

  private now(): string {
    return isoAt(this.clock);
  }
}

const principalOf = (found: { session: SessionRecord; user: UserRecord }): Principal => ({
  user: toUser(found.user),
  sessionId: found.session.id,
  sessionExpiresAt: found.session.expiresAt,
});

/** A `User-Agent` as kept: control characters dropped, cut to `LIMITS.userAgentMax` code points. */
export function cleanUserAgent(userAgent: string | undefined): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
  const clean = [...(userAgent ?? '').replace(/[\u0000-\u001f\u007f]/g, '')]
    .slice(0, LIMITS.userAgentMax)
    .join('')
    .trim();
  return clean === '' ? null : clean;
}
