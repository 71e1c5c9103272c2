import type { LoginBody, RegisterBody, User, UserSettings } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import { ExpiringCache } from '../cache/expiring-cache.js';
import { type Clock, isoAt, systemClock } from '../clock.js';
import { AppError, conflict, rateLimited, unauthenticated } from '../errors.js';
import { hashSecret, newId, newSecret } from '../ids.js';
import type { Database } from '../ports/database.js';
import type { FanOut } from '../ports/fan-out.js';
import type { PasswordHasher } from '../ports/password-hasher.js';
import type { FailureLimiter, RateLimiter } from '../ports/rate-limiter.js';
import type { UserRecord } from '../ports/records.js';
import { DEFAULT_ROOM_SLUG } from '../rooms/default-room.js';
import { joinRoom } from '../rooms/membership.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { type Principal, toUser } from './principal.js';

/** How long a session lasts after sign-in. */
export const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;
/**
 * A live session found by its token is remembered this long, so each request does not cost a
 * query. Logout and deactivation forget it at once (`session-ended`, which also closes sockets);
 * the limit bounds how long a lost invalidation from another process could keep it usable.
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
}

export class AccountsService {
  private readonly dummyHash: Promise<string>;
  /** By token hash. */
  private readonly principals = new ExpiringCache<string, Principal>(
    PRINCIPAL_CACHE_MS,
    PRINCIPAL_CACHE_ENTRIES,
  );

  private readonly clock: Clock;
  private readonly sessionLifetimeMs: number;

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
    this.dummyHash = hasher.hash(newSecret());
    fanOut.subscribe((message) => {
      if (message.kind === 'session-ended') {
        this.principals.invalidate((_, principal) => principal.sessionId === message.sessionId);
      }
    });
  }

  /** Creates an account (the first is the instance admin), joins it to `general`, opens a session. */
  async register(input: RegisterBody, clientAddress: string): Promise<Credentials> {
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
    });
    return this.openSession(record);
  }

  /**
   * Same answer for an unknown user and a wrong password, after the same work. Failures are
   * counted per username and per client address; past the limit, attempts get rate_limited.
   */
  async login(input: LoginBody, clientAddress: string): Promise<Credentials> {
    const username = input.username.toLowerCase();
    const wait = Math.max(
      await this.limits.loginFailures.perUsername.blockedFor(username),
      await this.limits.loginFailures.perAddress.blockedFor(clientAddress),
    );
    if (wait > 0) throw rateLimited(wait);
    try {
      return await this.verifyLogin(username, input.password);
    } catch (error) {
      await this.limits.loginFailures.perUsername.recordFailure(username);
      await this.limits.loginFailures.perAddress.recordFailure(clientAddress);
      throw error;
    }
  }

  private async verifyLogin(username: string, password: string): Promise<Credentials> {
    const user = await this.db.users.findByUsername(username);
    // Verify against a throwaway hash for unknown users too, so timing does not reveal who exists.
    const valid = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verify(await this.dummyHash, password).then(() => false);
    if (!user || !valid || user.deactivatedAt) throw unauthenticated('Wrong username or password.');
    return this.openSession(user);
  }

  async settings(principal: Principal): Promise<UserSettings> {
    return { shareReadReceipts: await this.db.users.shareReadReceipts(principal.user.id) };
  }

  async updateSettings(principal: Principal, settings: UserSettings): Promise<UserSettings> {
    await this.db.users.setShareReadReceipts(principal.user.id, settings.shareReadReceipts);
    return this.settings(principal);
  }

  async logout(principal: Principal): Promise<void> {
    await this.work.run(async (tx) => {
      await tx.sessions.revoke(principal.sessionId, this.now());
      tx.publishAfterCommit({ kind: 'session-ended', sessionId: principal.sessionId });
    });
  }

  /** The principal behind a bearer token or session cookie value, or undefined. */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (!token || token.length > 200) return undefined;
    const now = this.now();
    const tokenHash = hashSecret(token);
    const principal = await this.principals.getOrLoad(tokenHash, async () => {
      const found = await this.db.sessions.findLive({ tokenHash }, now);
      return (
        found && {
          user: toUser(found.user),
          sessionId: found.session.id,
          sessionExpiresAt: found.session.expiresAt,
        }
      );
    });
    // A session may expire while it is remembered.
    return principal && principal.sessionExpiresAt > now ? principal : undefined;
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
    const found = await this.db.sessions.findLive({ id: used.sessionId }, now);
    return (
      found && {
        user: toUser(found.user),
        sessionId: found.session.id,
        sessionExpiresAt: found.session.expiresAt,
      }
    );
  }

  private async openSession(user: UserRecord): Promise<Credentials> {
    const token = newSecret();
    const now = this.now();
    const sessionId = newId();
    await this.db.sessions.insert({
      id: sessionId,
      userId: user.id,
      tokenHash: hashSecret(token),
      createdAt: now,
      expiresAt: isoAt(this.clock, this.sessionLifetimeMs),
      revokedAt: null,
    });
    return { user: toUser(user), token, sessionId };
  }

  private now(): string {
    return isoAt(this.clock);
  }
}
