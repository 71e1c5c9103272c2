import { InboxAlertIcon } from '../../ui/Icons';
import { DEAD_LETTERS_PATH } from '../../util/roomPath';
import { isPlainClick } from './isPlainClick';

interface AdministrationSectionProps {
  /** The failed jobs page is open. */
  current: boolean;
  onOpenDeadLetters: () => void;
}

/** Instance admins' pages: the "Failed jobs" link (the dead letter queue). */
export function AdministrationSection({ current, onOpenDeadLetters }: AdministrationSectionProps) {
  return (
    <section className="sidebar__section" aria-labelledby="sidebar-admin">
      <h2 className="sidebar__heading" id="sidebar-admin">
        Administration
      </h2>
      <ul className="sidebar__list">
        <li>
          <a
            href={DEAD_LETTERS_PATH}
            className={`room-link${current ? ' room-link--active' : ''}`}
            aria-current={current ? 'page' : undefined}
            onClick={(event) => {
              if (!isPlainClick(event)) return;
              event.preventDefault();
              onOpenDeadLetters();
            }}
          >
            <span className="room-link__icon" aria-hidden="true">
              <InboxAlertIcon width={15} height={15} />
            </span>
            <span className="room-link__name">Failed jobs</span>
          </a>
        </li>
      </ul>
    </section>
  );
}
