import { afterEach, describe, expect, it } from 'vitest';
import { me } from '../test/fixtures';
import type { OfflineCopy } from './offlineCopy';
import {
  browserOfflineCopyStorage,
  forgetDeviceData,
  keepOnlyUser,
  OFFLINE_COPY_KEY,
} from './offlineCopyStorage';
import { outboxStorageKey } from './outboxStorage';

const copyOf = (userId: string): OfflineCopy => ({
  version: 1,
  savedAt: '2025-01-01T12:00:00.000Z',
  me: { ...me, id: userId },
  rooms: [],
  activeRoomId: null,
  timelines: [],
});

describe('where the offline copy is kept', () => {
  afterEach(() => localStorage.clear());

  it('gives the copy only to its own user', () => {
    const copies = browserOfflineCopyStorage();
    copies.save(copyOf('u-ada'));
    expect(copies.load('u-ada')?.me.id).toBe('u-ada');
    expect(copies.load('u-ben')).toBeUndefined();
    expect(copies.load()?.me.id).toBe('u-ada');
  });

  it('drops the previous user’s copy when another signs in, keeps one’s own', () => {
    const copies = browserOfflineCopyStorage();
    copies.save(copyOf('u-ada'));
    keepOnlyUser(copies, 'u-ada');
    expect(copies.load()).toBeDefined();
    keepOnlyUser(copies, 'u-ben');
    expect(localStorage.getItem(OFFLINE_COPY_KEY)).toBeNull();
  });

  it('signing out removes the copy and the messages waiting to be sent', () => {
    browserOfflineCopyStorage().save(copyOf('u-ada'));
    localStorage.setItem(outboxStorageKey('u-ada'), '[]');
    localStorage.setItem(outboxStorageKey('u-ben'), '[]');
    forgetDeviceData('u-ada');
    expect(localStorage.getItem(OFFLINE_COPY_KEY)).toBeNull();
    expect(localStorage.getItem(outboxStorageKey('u-ada'))).toBeNull();
    // Another user's outbox on this device is theirs to send.
    expect(localStorage.getItem(outboxStorageKey('u-ben'))).toBe('[]');
  });

  it('ignores what it cannot read', () => {
    localStorage.setItem(OFFLINE_COPY_KEY, '{not json');
    expect(browserOfflineCopyStorage().load()).toBeUndefined();
    localStorage.setItem(OFFLINE_COPY_KEY, JSON.stringify({ ...copyOf('u-ada'), version: 2 }));
    expect(browserOfflineCopyStorage().load()).toBeUndefined();
  });
});
