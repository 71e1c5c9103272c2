import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/ApiClient';
import { ApiError } from '../api/ApiError';
import type { OfflineCopy } from '../state/offlineCopy';
import { browserOfflineCopyStorage, OFFLINE_COPY_KEY } from '../state/offlineCopyStorage';
import { me } from '../test/fixtures';
import { useSession } from './useSession';

const unreachable = () => new ApiError('network_error', 'Could not reach the server. Check your connection.');
const copy: OfflineCopy = {
  version: 1,
  savedAt: '2025-01-01T12:00:00.000Z',
  me,
  rooms: [],
  activeRoomId: null,
  timelines: [],
};

function fakeApi(me: () => Promise<unknown>) {
  return { me: vi.fn(me), logout: vi.fn(async () => undefined) } as unknown as ApiClient & {
    me: ReturnType<typeof vi.fn>;
  };
}

describe('useSession and the offline copy', () => {
  afterEach(() => localStorage.clear());

  it('opens on the kept copy when the server cannot be reached, and keeps the same user once it answers', async () => {
    browserOfflineCopyStorage().save(copy);
    let online = false;
    const api = fakeApi(async () => {
      if (!online) throw unreachable();
      return { ...me };
    });
    const { result } = renderHook(() => useSession(api));
    await waitFor(() => expect(result.current.state.status).toBe('signedIn'));
    const first = result.current.state;
    expect(first).toMatchObject({ status: 'signedIn', fromOfflineCopy: true, user: { id: me.id } });

    online = true;
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    await waitFor(() => expect(result.current.state).not.toHaveProperty('fromOfflineCopy', true));
    // The same user object: the chat it started is not restarted.
    expect(result.current.state.status === 'signedIn' && result.current.state.user).toBe(
      first.status === 'signedIn' ? first.user : undefined,
    );
  });

  it('without a copy says the server is unreachable', async () => {
    const api = fakeApi(async () => Promise.reject(unreachable()));
    const { result } = renderHook(() => useSession(api));
    await waitFor(() => expect(result.current.state.status).toBe('unreachable'));
  });

  it('forgets the copy when the server says the session is over', async () => {
    browserOfflineCopyStorage().save(copy);
    const ended = renderHook(() =>
      useSession(
        fakeApi(async () => Promise.reject(new ApiError('unauthenticated', 'No.', { status: 401 }))),
      ),
    );
    await waitFor(() => expect(ended.result.current.state.status).toBe('signedOut'));
    expect(localStorage.getItem(OFFLINE_COPY_KEY)).toBeNull();
  });

  it('forgets the copy on sign-out', async () => {
    browserOfflineCopyStorage().save(copy);
    const api = fakeApi(async () => ({ ...me }));
    const { result } = renderHook(() => useSession(api));
    await waitFor(() => expect(result.current.state.status).toBe('signedIn'));
    await act(async () => {
      await result.current.signOut();
    });
    expect(localStorage.getItem(OFFLINE_COPY_KEY)).toBeNull();
  });
});
