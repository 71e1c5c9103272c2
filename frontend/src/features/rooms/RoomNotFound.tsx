import { useEffect, useRef } from 'react';
import { CompassIcon, LockIcon } from '../../ui/Icons';

interface RoomNotFoundProps {
  /** The slug of the link that was followed (`/r/<slug>`). */
  slug: string;
  /** #general (or the first room one is in) and how to open it; absent when one is in no room. */
  home: { name: string; open: () => void } | undefined;
  onBrowse: () => void;
}

/**
 * A room link that leads nowhere one may go: the room does not exist, or it is private and one is
 * not in it. The two are told apart for no one (a private room must not be confirmed to exist).
 */
export function RoomNotFound({ slug, home, onBrowse }: RoomNotFoundProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Said at once to screen readers too: the page is not the room that was asked for.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="room-missing" aria-labelledby="room-missing-title">
      <div className="room-missing__badge" aria-hidden="true">
        <LockIcon width={26} height={26} />
      </div>
      <h2 id="room-missing-title" className="room-missing__title" ref={heading} tabIndex={-1}>
        Room not found, or you have no access
      </h2>
      <p className="room-missing__text">
        Nothing at <code className="room-missing__slug">/r/{slug}</code> is open to you. It may have been
        mistyped, or it is a private room: ask someone in it to add you.
      </p>
      <div className="room-missing__actions">
        {home ? (
          <button type="button" className="button button--primary" onClick={home.open}>
            Go to #{home.name}
          </button>
        ) : null}
        <button type="button" className="button button--ghost" onClick={onBrowse}>
          <CompassIcon width={16} height={16} />
          Browse channels
        </button>
      </div>
    </section>
  );
}
