import type { Job } from '@parley/protocol';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/ApiError';
import { job } from '../../test/fixtures';
import { type DeadLetterApi, DeadLetterPage } from './DeadLetterPage';

const failed = (id: string, code: string, message: string, extra: Partial<Job> = {}): Job =>
  job(id, { status: 'failed', attempts: 5, error: { code, message }, ...extra });

function renderPage(api: DeadLetterApi, isAdmin = true) {
  render(
    <DeadLetterPage
      isAdmin={isAdmin}
      api={api}
      roomName={(roomId) => (roomId === 'r-general' ? '#general' : undefined)}
      connection="connected"
      onOpenMenu={vi.fn()}
      onReconnect={vi.fn()}
    />,
  );
  return userEvent.setup();
}

describe('DeadLetterPage', () => {
  it('lists failed jobs with room, attempts and error, and a retry takes one off the list', async () => {
    const api = {
      deadLetters: vi.fn(async () => [
        failed('j-1', 'permanent_failure', 'Refused by the test fault.'),
        failed('j-2', 'internal', 'Gave up after 5 attempts.', {
          roomId: 'r-gone',
          type: 'file',
          attempts: 1,
        }),
      ]),
      retryDeadLetter: vi.fn(async (id: string) => job(id)),
    };
    const user = renderPage(api);
    const rows = await screen.findAllByTestId('dead-job');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Message');
    expect(rows[0]).toHaveTextContent('#general');
    expect(rows[0]).toHaveTextContent('permanent_failure');
    expect(rows[0]).toHaveTextContent('Refused by the test fault.');
    expect(rows[0]).toHaveTextContent('5 attempts');
    expect(rows[1]).toHaveTextContent('File');
    expect(rows[1]).toHaveTextContent('Unknown room');
    expect(rows[1]).toHaveTextContent('1 attempt ');

    await user.click(within(rows[0] as HTMLElement).getByRole('button', { name: /^Retry/ }));
    expect(api.retryDeadLetter).toHaveBeenCalledWith('j-1');
    expect(await screen.findByText('Message job queued again.')).toBeInTheDocument();
    expect(screen.getAllByTestId('dead-job').map((row) => row.dataset.jobId)).toEqual(['j-2']);
  });

  it('keeps a job whose retry conflicts, with the reason', async () => {
    const api = {
      deadLetters: vi.fn(async () => [failed('j-1', 'internal', 'Boom.')]),
      retryDeadLetter: vi
        .fn()
        .mockRejectedValue(new ApiError('conflict', 'The job is not failed.', { status: 409 })),
    };
    const user = renderPage(api);
    await user.click(await screen.findByRole('button', { name: /^Retry/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not retried: The job is not failed.');
    expect(screen.getAllByTestId('dead-job')).toHaveLength(1);
  });

  it('says when the queue is empty', async () => {
    renderPage({ deadLetters: vi.fn(async () => []), retryDeadLetter: vi.fn() });
    expect(await screen.findByText('No failed jobs')).toBeInTheDocument();
  });

  it('is not available to members, and asks the server nothing', () => {
    const api = { deadLetters: vi.fn(), retryDeadLetter: vi.fn() };
    renderPage(api, false);
    expect(screen.getByText('Not available')).toBeInTheDocument();
    expect(api.deadLetters).not.toHaveBeenCalled();
  });
});
