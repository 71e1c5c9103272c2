/**
 * The connection registry contract: what every ConnectionRegistry (in-process, Redis) must
 * guarantee. A target opens the registry of one instance; the in-process target is a cluster of
 * one process, so each of its "instances" is the same registry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionRegistry } from '../../src/core/ports/connection-registry.js';

export interface RegistryTarget {
  name: string;
  /** The registry of a new instance (the same one, for the in-process target). */
  instance(): Promise<ConnectionRegistry>;
  /** Closes every instance opened so far and forgets their sockets. */
  closeAll(): Promise<void>;
}

let users = 0;
/** A user id no other test uses (the Redis server is shared by the file's tests). */
export const newUser = (): string => `user-${process.pid}-${++users}-${Date.now()}`;

export function describeConnectionRegistryContract(target: RegistryTarget): void {
  describe(`ConnectionRegistry contract: ${target.name}`, () => {
    afterEach(() => target.closeAll());

    it('admits exactly `max` of 20 concurrent sockets from two instances', async () => {
      const a = await target.instance();
      const b = await target.instance();
      const user = newUser();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).admit(user, `s${i}`, 5)),
      );
      expect(results.filter(Boolean)).toHaveLength(5);
    });

    it('gives a place back when a socket is released, and admits a socket once', async () => {
      const a = await target.instance();
      const user = newUser();
      expect(await a.admit(user, 's1', 2)).toBe(true);
      expect(await a.admit(user, 's1', 2)).toBe(true); // the same socket again takes no place
      expect(await a.admit(user, 's2', 2)).toBe(true);
      expect(await a.admit(user, 's3', 2)).toBe(false);
      await a.release(user, 's1');
      expect(await a.admit(user, 's3', 2)).toBe(true);
      expect(await a.admit(newUser(), 's1', 2)).toBe(true); // the cap is per user
    });

    it('says online for the first socket anywhere, offline only when the last one closes', async () => {
      const a = await target.instance();
      const b = await target.instance();
      const user = newUser();
      expect(await a.admit(user, 'tab-a', 5)).toBe(true);
      expect(await b.admit(user, 'tab-b', 5)).toBe(true);
      expect(await a.goOnline(user, 'tab-a')).toBe(true);
      expect(await b.goOnline(user, 'tab-b')).toBe(false);
      // Closing the tab on one instance: still connected on the other.
      expect(await a.release(user, 'tab-a')).toBe(false);
      expect(await b.release(user, 'tab-b')).toBe(true);
      // Back again: online again.
      expect(await a.admit(user, 'tab-c', 5)).toBe(true);
      expect(await a.goOnline(user, 'tab-c')).toBe(true);
    });

    it('answers who is online among users: online sockets on any instance count, admitted ones do not', async () => {
      const a = await target.instance();
      const b = await target.instance();
      const [here, there, admittedOnly, never] = [newUser(), newUser(), newUser(), newUser()];
      expect(await a.onlineAmong([])).toEqual(new Set());
      expect(await a.admit(here, 's1', 5)).toBe(true);
      await a.goOnline(here, 's1');
      expect(await b.admit(there, 's2', 5)).toBe(true);
      await b.goOnline(there, 's2');
      expect(await a.admit(admittedOnly, 's3', 5)).toBe(true);
      const everyone = [here, there, admittedOnly, never];
      expect(await a.onlineAmong(everyone)).toEqual(new Set([here, there]));
      expect(await b.onlineAmong(everyone)).toEqual(new Set([here, there]));
      await b.release(there, 's2');
      expect(await a.onlineAmong(everyone)).toEqual(new Set([here]));
    });

    it('tells exactly one of two concurrent first sockets, and of two concurrent last ones', async () => {
      const a = await target.instance();
      const b = await target.instance();
      const people = Array.from({ length: 30 }, newUser);
      for (const user of people) {
        expect(await a.admit(user, 'on-a', 5)).toBe(true);
        expect(await b.admit(user, 'on-b', 5)).toBe(true);
      }
      const firsts = await Promise.all(
        people.map((user) => Promise.all([a.goOnline(user, 'on-a'), b.goOnline(user, 'on-b')])),
      );
      for (const pair of firsts) expect(pair.filter(Boolean)).toHaveLength(1);
      const lasts = await Promise.all(
        people.map((user) => Promise.all([a.release(user, 'on-a'), b.release(user, 'on-b')])),
      );
      for (const pair of lasts) expect(pair.filter(Boolean)).toHaveLength(1);
    });

    it('never announces a socket that closed before it was online', async () => {
      const a = await target.instance();
      const user = newUser();
      expect(await a.admit(user, 'early', 5)).toBe(true);
      expect(await a.release(user, 'early')).toBe(false);
      expect(await a.goOnline(user, 'early')).toBe(false);
      expect(await a.admit(user, 'later', 5)).toBe(true);
      expect(await a.goOnline(user, 'later')).toBe(true);
    });
  });
}
