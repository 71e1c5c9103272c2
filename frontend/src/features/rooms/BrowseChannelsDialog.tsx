import type { Room } from '@parley/protocol';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../api/ApiError';
import { Dialog } from '../../ui/Dialog';
import { FormError } from '../../ui/FormError';
import { HashIcon } from '../../ui/Icons';

interface BrowseChannelsDialogProps {
  /** Every room the server listed; the public ones one is not in are offered. */
  rooms: Room[];
  onJoin: (roomId: string) => Promise<unknown>;
  /**
   * Reads the room list again (GET /rooms): called when the dialog opens, so that public rooms
   * created since the app loaded are offered too (their creation reaches no one's socket).
   */
  onRefresh: () => Promise<unknown>;
  onClose: () => void;
}

/** The public rooms one is not in yet, each with Join. */
export function BrowseChannelsDialog({ rooms, onJoin, onRefresh, onClose }: BrowseChannelsDialogProps) {
  const [joining, setJoining] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(true);
  const refresh = useRef(onRefresh);
  refresh.current = onRefresh;

  useEffect(() => {
    let open = true;
    refresh
      .current()
      .catch(() => undefined)
      .finally(() => {
        if (open) setRefreshing(false);
      });
    return () => {
      open = false;
    };
  }, []);

  const open = rooms
    .filter((room) => room.visibility === 'public' && room.membership === null)
    .sort((a, b) => a.name.localeCompare(b.name));

  async function join(roomId: string) {
    setJoining(roomId);
    setError(null);
    try {
      await onJoin(roomId);
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setJoining(null);
    }
  }

  return (
    <Dialog
      title="Browse channels"
      description="Public rooms you are not in yet."
      onClose={onClose}
      size="wide"
    >
      <FormError message={error} />
      {open.length === 0 && refreshing ? (
        <p className="dialog__empty" aria-busy="true">
          Looking for channels…
        </p>
      ) : open.length === 0 ? (
        <p className="dialog__empty">You are in every public channel. Create a new one instead.</p>
      ) : (
        <ul className="directory">
          {open.map((room) => (
            <li key={room.id} className="directory__item">
              <span className="directory__icon" aria-hidden="true">
                <HashIcon width={16} height={16} />
              </span>
              <span className="directory__text">
                <span className="directory__name">{room.name}</span>
                {room.topic ? <span className="directory__topic">{room.topic}</span> : null}
              </span>
              <button
                type="button"
                className="button button--ghost button--small"
                disabled={joining !== null}
                onClick={() => void join(room.id)}
              >
                {joining === room.id ? 'Joining…' : 'Join'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
