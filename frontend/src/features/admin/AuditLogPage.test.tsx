import type { AuditEvent } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { AUDIT_PAGE_SIZE, type AuditLogApi, AuditLogPage } from './AuditLogPage';

const ada = { id: 'u-ada', username: 'ada', displayName: 'Ada Lovelace' };
const bob = { id: 'u-bob', username: 'bob', displayName: 'bob' };

const event = (id: string, type: AuditEvent['type'], extra: Partial<AuditEvent> = {}): AuditEvent => ({
  id,
  at: '2026-03-01T10:00:00.000Z',
  type,
  details: {},
  ...extra,
});

function renderPage(api: AuditLogApi, isAdmin = true) {
  render(
    <AuditLogPage
      isAdmin={isAdmin}
      api={api}
      connection="connected"
      onOpenMenu={vi.fn()}
      onReconnect={vi.fn()}
    />,
  );
  return userEvent.setup();
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('AuditLogPage', () => {
  it('lists events newest first in plain words, with who, target and address', async () => {
    const api = {
      auditLog: vi.fn(async () => ({
        events: [
          event('e-4', 'room.role_changed', {
            actor: ada,
            target: { kind: 'user', id: bob.id, user: bob },
            ip: '203.0.113.9',
            details: { roomId: 'r-1', roomName: 'ops', role: 'admin' },
          }),
          event('e-3', 'auth.login_failed', {
            ip: '198.51.100.4',
            details: { username: 'mallory', reason: 'unknown_user' },
          }),
          event('e-2', 'dlq.retried', { actor: ada, target: { kind: 'job', id: 'job-0123456789abcdef' } }),
          event('e-1', 'session.revoked', { actor: bob, details: { scope: 'others', count: 2 } }),
        ],
        hasMore: false,
      })),
    };
    renderPage(api);
    const rows = await screen.findAllByTestId('audit-event');
    expect(api.auditLog).toHaveBeenCalledWith({ limit: AUDIT_PAGE_SIZE });
    expect(rows).toHaveLength(4);
    const [roleChange, failure, retry, revoke] = rows.map((row) => cells(row));
    expect(roleChange?.slice(1)).toEqual([
      'Ada Lovelace (@ada)',
      'Made a room admin in #opsroom.role_changed',
      '@bob',
      '203.0.113.9',
    ]);
    expect(failure?.slice(1)).toEqual([
      'Not signed in',
      'Failed sign-in as “mallory” (no such account)auth.login_failed',
      '—',
      '198.51.100.4',
    ]);
    expect(retry?.[3]).toBe('Job …89abcdef');
    expect(revoke?.[2]).toContain('Signed out everywhere else (2 sessions)');
    expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();
  });

  it('loads older pages from the last event shown until there are no more', async () => {
    const api = {
      auditLog: vi
        .fn()
        .mockResolvedValueOnce({
          events: [event('e-3', 'auth.login'), event('e-2', 'auth.logout')],
          hasMore: true,
        })
        .mockResolvedValueOnce({ events: [event('e-1', 'auth.register')], hasMore: false }),
    };
    const user = renderPage(api);
    await user.click(await screen.findByRole('button', { name: 'Load older' }));
    expect(api.auditLog).toHaveBeenLastCalledWith({ before: 'e-2', limit: AUDIT_PAGE_SIZE });
    await screen.findByText('Created an account');
    expect(screen.getAllByTestId('audit-event').map((row) => cells(row)[2])).toEqual([
      'Signed inauth.login',
      'Signed outauth.logout',
      'Created an accountauth.register',
    ]);
    expect(screen.queryByRole('button', { name: 'Load older' })).toBeNull();
  });

  it('keeps what it has when an older page fails, and says why', async () => {
    const api = {
      auditLog: vi
        .fn()
        .mockResolvedValueOnce({ events: [event('e-2', 'auth.login')], hasMore: true })
        .mockRejectedValueOnce(
          new ApiError('unavailable', 'The database is not answering.', { status: 503 }),
        ),
    };
    const user = renderPage(api);
    await user.click(await screen.findByRole('button', { name: 'Load older' }));
    expect(await screen.findByText(/The database is not answering/)).toBeInTheDocument();
    expect(screen.getAllByTestId('audit-event')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Load older' })).toBeEnabled();
  });

  it('says when nothing was recorded', async () => {
    renderPage({ auditLog: vi.fn(async () => ({ events: [], hasMore: false })) });
    expect(await screen.findByText('Nothing recorded yet')).toBeInTheDocument();
  });

  it('is not available to members, and asks the server nothing', () => {
    const api = { auditLog: vi.fn() };
    renderPage(api, false);
    expect(screen.getByText('Not available')).toBeInTheDocument();
    expect(api.auditLog).not.toHaveBeenCalled();
  });
});
