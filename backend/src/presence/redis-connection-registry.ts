/**
 * The connection registry shared by every instance, in Redis. Per user, two sorted sets of
 * `instanceId:socketId`: the sockets admitted (the cap counts these) and those online (presence
 * counts these), each scored by the time it expires. Every command is a Lua script, so counting
 * and changing are one step: two instances admitting at once cannot both pass the cap, and of
 * two concurrent "last socket closed" exactly one sees zero. Times are Redis's own clock
 * (TIME), so the instances' clocks need not agree.
 *
 * Each instance refreshes the expiry of its own sockets every `refreshMs`; one killed without
 * closing them (kill -9, a lost host) stops counting once `ttlMs` has passed. The refresh
 * writes every socket this instance holds, so it also puts them back after Redis lost its data
 * (a restart without persistence).
 *
 * While Redis cannot be reached, the registry answers from this instance's own sockets (the
 * cap then holds per instance only, presence is announced per instance) and logs it once.
 */
import type { Redis, Result } from 'ioredis';
import type { ConnectionRegistry } from '../core/ports/connection-registry.js';
import type { Logger } from '../logging/logger.js';
import { InProcessConnectionRegistry } from './in-process-connection-registry.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    parleyAdmitSocket(sockets: string, member: string, ttlMs: number, max: number): Result<number, Context>;
    parleySocketOnline(
      online: string,
      index: string,
      member: string,
      ttlMs: number,
      userId: string,
    ): Result<number, Context>;
    parleyReleaseSocket(
      sockets: string,
      online: string,
      index: string,
      member: string,
      wasOnline: 0 | 1,
      userId: string,
    ): Result<number, Context>;
    parleyRefreshSockets(
      sockets: string,
      online: string,
      index: string,
      userId: string,
      ttlMs: number,
      ...memberAndOnline: string[]
    ): Result<number, Context>;
    parleySweepOffline(index: string, limit: number): Result<string[], Context>;
    parleyOnlineAmong(index: string, ...userIds: string[]): Result<number[], Context>;
  }
}

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const SCRIPTS = {
  /** 1 when admitted: expired entries go first; a socket already admitted stays admitted. */
  parleyAdmitSocket: `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`,
  /** 1 when this socket is now the user's only online one. */
  parleySocketOnline: `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], 'GT', now + tonumber(ARGV[2]), ARGV[3])
if added == 1 and redis.call('ZCARD', KEYS[1]) == 1 then return 1 end
return 0`,
  /**
   * 1 when the socket was online and none is left. Whether it was online is what the owning
   * instance knows (ARGV[2]): after Redis lost its entry, the user still goes offline.
   */
  parleyReleaseSocket: `${NOW}
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
if ARGV[2] ~= '1' then return 0 end
redis.call('ZREM', KEYS[3], ARGV[3])
return 1`,
  /** ARGV: ttl, then (member, '1' when online | '0') pairs. */
  parleyRefreshSockets: `${NOW}
local ttl = tonumber(ARGV[2])
local online = false
for i = 3, #ARGV, 2 do
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[i])
  if ARGV[i + 1] == '1' then
    redis.call('ZADD', KEYS[2], now + ttl, ARGV[i])
    online = true
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
if online then
  redis.call('PEXPIRE', KEYS[2], ttl)
  redis.call('ZADD', KEYS[3], 'GT', now + ttl, ARGV[1])
end
return 0`,
  /**
   * Users whose online entries all expired (their instance died without releasing them), at
   * most ARGV[1] of them; each is taken off the index here, so one caller only gets each one.
   * The index scores a user by the latest expiry of their online entries; a user whose entries
   * were refreshed meanwhile is scored again instead. The online keys are built from the index's
   * user ids (one Redis, not a Redis Cluster: see the design doc).
   */
  parleySweepOffline: `${NOW}
local gone = {}
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
for _, userId in ipairs(due) do
  local online = 'parley:online:{' .. userId .. '}'
  redis.call('ZREMRANGEBYSCORE', online, '-inf', now)
  local latest = redis.call('ZRANGE', online, -1, -1, 'WITHSCORES')
  if latest[2] then
    redis.call('ZADD', KEYS[1], tonumber(latest[2]), userId)
  else
    redis.call('ZREM', KEYS[1], userId)
    table.insert(gone, userId)
  end
end
return gone`,
  /**
   * 1 per user whose latest online entry has not expired (the presence index holds each online
   * user's latest expiry; a user whose last socket closed is removed from it).
   */
  parleyOnlineAmong: `${NOW}
local answers = {}
for i, userId in ipairs(ARGV) do
  local score = redis.call('ZSCORE', KEYS[1], userId)
  answers[i] = (score and tonumber(score) > now) and 1 or 0
end
return answers`,
} as const;

const KEY_COUNTS: Record<keyof typeof SCRIPTS, number> = {
  parleyAdmitSocket: 1,
  parleySocketOnline: 2,
  parleyReleaseSocket: 3,
  parleyRefreshSockets: 3,
  parleySweepOffline: 1,
  parleyOnlineAmong: 1,
};

export interface RedisConnectionRegistryOptions {
  /** Names this instance's entries; unique per running process. */
  instanceId: string;
  /** How long an entry counts without a refresh. */
  ttlMs?: number;
  /** How often this instance refreshes its entries (well under ttlMs). */
  refreshMs?: number;
}

/**
 * A killed instance's sockets stop counting within about this long; its users are announced
 * offline by the next sweep after that (the contract: within 15 seconds of the last socket).
 */
const DEFAULT_TTL_MS = 10_000;
const DEFAULT_REFRESH_MS = 3_000;
/** Users taken off the presence index per sweep at most. */
const SWEEP_LIMIT = 500;

export class RedisConnectionRegistry implements ConnectionRegistry {
  /** This instance's own sockets: what it refreshes, and its answers while Redis is down. */
  private readonly local = new InProcessConnectionRegistry();
  private readonly instanceId: string;
  private readonly ttlMs: number;
  private readonly refreshTimer: NodeJS.Timeout;
  private unreachable = false;

  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
    options: RedisConnectionRegistryOptions,
  ) {
    this.instanceId = options.instanceId;
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
    for (const [name, lua] of Object.entries(SCRIPTS) as [keyof typeof SCRIPTS, string][]) {
      redis.defineCommand(name, { lua, numberOfKeys: KEY_COUNTS[name] });
    }
    this.refreshTimer = setInterval(() => void this.refresh(), options.refreshMs ?? DEFAULT_REFRESH_MS);
    this.refreshTimer.unref();
  }

  async admit(userId: string, socketId: string, max: number): Promise<boolean> {
    try {
      const admitted =
        (await this.redis.parleyAdmitSocket(socketsKey(userId), this.member(socketId), this.ttlMs, max)) ===
        1;
      this.reachable();
      if (admitted) this.local.admitNow(userId, socketId, Number.POSITIVE_INFINITY);
      return admitted;
    } catch (error) {
      this.unreachableNow(error);
      return this.local.admitNow(userId, socketId, max);
    }
  }

  async goOnline(userId: string, socketId: string): Promise<boolean> {
    if (!this.local.holds(userId, socketId)) return false;
    // Marked here before Redis answers, so a release that follows knows it was online.
    const onlyHere = this.local.goOnlineNow(userId, socketId);
    try {
      const first =
        (await this.redis.parleySocketOnline(
          onlineKey(userId),
          PRESENCE_INDEX,
          this.member(socketId),
          this.ttlMs,
          userId,
        )) === 1;
      this.reachable();
      return first;
    } catch (error) {
      this.unreachableNow(error);
      return onlyHere;
    }
  }

  async release(userId: string, socketId: string): Promise<boolean> {
    const { wasOnline, last } = this.local.releaseNow(userId, socketId);
    try {
      const member = this.member(socketId);
      const lastAnywhere =
        (await this.redis.parleyReleaseSocket(
          socketsKey(userId),
          onlineKey(userId),
          PRESENCE_INDEX,
          member,
          wasOnline ? 1 : 0,
          userId,
        )) === 1;
      this.reachable();
      return lastAnywhere;
    } catch (error) {
      this.unreachableNow(error);
      return last;
    }
  }

  async wentOffline(): Promise<string[]> {
    try {
      const gone = await this.redis.parleySweepOffline(PRESENCE_INDEX, SWEEP_LIMIT);
      this.reachable();
      return gone;
    } catch (error) {
      this.unreachableNow(error);
      return [];
    }
  }

  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    try {
      const answers = await this.redis.parleyOnlineAmong(PRESENCE_INDEX, ...userIds);
      this.reachable();
      return new Set(userIds.filter((_, index) => answers[index] === 1));
    } catch (error) {
      this.unreachableNow(error);
      return this.local.onlineAmongNow(userIds);
    }
  }

  /**
   * Stops refreshing and removes this instance's entries (its sockets are closing: their places
   * are free at once, not after ttlMs). The connection is the caller's to close.
   */
  async close(): Promise<void> {
    clearInterval(this.refreshTimer);
    const removed: Promise<number>[] = [];
    for (const [userId, sockets] of this.local.entries()) {
      for (const socketId of sockets.keys()) {
        removed.push(
          this.redis.parleyReleaseSocket(
            socketsKey(userId),
            onlineKey(userId),
            PRESENCE_INDEX,
            this.member(socketId),
            0,
            userId,
          ),
        );
      }
    }
    this.local.clear();
    await Promise.allSettled(removed);
  }

  /** Writes every socket of this instance again with a fresh expiry. */
  async refresh(): Promise<void> {
    // Sent one script per user in one synchronous loop, so each is ordered before any release
    // that comes later on the same connection (a released socket is never written back).
    const sent: Promise<number>[] = [];
    for (const [userId, sockets] of this.local.entries()) {
      const pairs: string[] = [];
      for (const [socketId, online] of sockets) pairs.push(this.member(socketId), online ? '1' : '0');
      sent.push(
        this.redis.parleyRefreshSockets(
          socketsKey(userId),
          onlineKey(userId),
          PRESENCE_INDEX,
          userId,
          this.ttlMs,
          ...pairs,
        ),
      );
    }
    try {
      await Promise.all(sent);
      this.reachable();
    } catch (error) {
      this.unreachableNow(error);
    }
  }

  private member(socketId: string): string {
    return `${this.instanceId}:${socketId}`;
  }

  private reachable(): void {
    if (!this.unreachable) return;
    this.unreachable = false;
    this.log.info({}, 'connection registry reaches Redis again; refreshing this instance’s sockets');
    void this.refresh();
  }

  private unreachableNow(error: unknown): void {
    if (this.unreachable) return;
    this.unreachable = true;
    this.log.warn(
      { err: error },
      'connection registry cannot reach Redis; counting this instance’s sockets only until it is back',
    );
  }
}

/** The user id in braces: both keys of a user hash to one slot, should this move to a cluster. */
const socketsKey = (userId: string): string => `parley:sockets:{${userId}}`;
const onlineKey = (userId: string): string => `parley:online:{${userId}}`;
/** Every user with online entries, scored by when the latest of them expires. */
const PRESENCE_INDEX = 'parley:presence-index';
