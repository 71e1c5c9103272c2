import type { ReactNode } from 'react';
import { InboxAlertIcon, ShieldIcon } from '../../ui/Icons';
import { type AdminView, AUDIT_LOG_PATH, DEAD_LETTERS_PATH } from '../../util/roomPath';
import { isPlainClick } from './isPlainClick';

interface AdministrationSectionProps {
  /** The admin page that is open, if any. */
  current: AdminView | null;
  onOpen: (page: AdminView) => void;
}

const PAGES: { page: AdminView; href: string; label: string; icon: ReactNode }[] = [
  {
    page: 'deadLetters',
    href: DEAD_LETTERS_PATH,
    label: 'Failed jobs',
    icon: <InboxAlertIcon width={15} height={15} />,
  },
  { page: 'auditLog', href: AUDIT_LOG_PATH, label: 'Audit log', icon: <ShieldIcon width={15} height={15} /> },
];

/** Instance admins' pages: "Failed jobs" (the dead letter queue) and "Audit log". */
export function AdministrationSection({ current, onOpen }: AdministrationSectionProps) {
  return (
    <section className="sidebar__section" aria-labelledby="sidebar-admin">
      <h2 className="sidebar__heading" id="sidebar-admin">
        Administration
      </h2>
      <ul className="sidebar__list">
        {PAGES.map(({ page, href, label, icon }) => (
          <li key={page}>
            <a
              href={href}
              className={`room-link${current === page ? ' room-link--active' : ''}`}
              aria-current={current === page ? 'page' : undefined}
              onClick={(event) => {
                if (!isPlainClick(event)) return;
                event.preventDefault();
                onOpen(page);
              }}
            >
              <span className="room-link__icon" aria-hidden="true">
                {icon}
              </span>
              <span className="room-link__name">{label}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
