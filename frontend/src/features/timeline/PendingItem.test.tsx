import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../../state/outbox';
import { me } from '../../test/fixtures';
import { PendingItem } from './PendingItem';

const failedFile = (extra: Partial<OutboxItem>): OutboxItem => ({
  localId: 'l1',
  idempotencyKey: 'l1',
  roomId: 'r-general',
  kind: 'file',
  text: '',
  file: { name: 'film.mov', size: 27_000_000, type: 'video/quicktime' },
  status: 'failed',
  createdAt: '2025-01-01T12:00:00.000Z',
  ...extra,
});

describe('PendingItem', () => {
  it('offers no Retry for a failure that cannot succeed, only Discard, and says the limit', () => {
    render(
      <PendingItem
        item={failedFile({ permanent: true, error: 'film.mov is 25.7 MB; files can be at most 25 MB.' })}
        me={me}
        startsGroup
        onRetry={vi.fn()}
        onDiscard={vi.fn()}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'Not sent: film.mov is 25.7 MB; files can be at most 25 MB.',
    );
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Discard' })).toBeInTheDocument();
  });

  it('still offers Retry for a failure that may pass another time', () => {
    render(
      <PendingItem
        item={failedFile({ error: 'Nope' })}
        me={me}
        startsGroup
        onRetry={vi.fn()}
        onDiscard={vi.fn()}
      />,
    );
    expect(screen.getByRole('button', { name: /Retry/ })).toBeInTheDocument();
  });
});
