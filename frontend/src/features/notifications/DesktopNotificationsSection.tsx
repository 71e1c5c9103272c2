import { useId, useState } from 'react';

type Permission = NotificationPermission | 'unsupported';

const readPermission = (): Permission =>
  typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;

const STATUS: Record<Permission, string> = {
  granted: 'On for this browser. You are notified while Parley is in the background, by each room’s level.',
  default: 'Get a notification for direct messages and mentions while Parley is in the background.',
  denied:
    'Blocked by this browser. Allow notifications for this site in the browser’s settings to turn them on.',
  unsupported: 'This browser cannot show desktop notifications.',
};

/**
 * Desktop notifications for this browser. Permission can only be asked from a click, so it is
 * asked here and never on its own; what notifies is each room's level (the bell in its header).
 */
export function DesktopNotificationsSection() {
  const [permission, setPermission] = useState<Permission>(readPermission);
  const headingId = useId();
  const hintId = useId();

  async function ask() {
    try {
      setPermission(await Notification.requestPermission());
    } catch {
      setPermission(readPermission());
    }
  }

  return (
    <section className="settings-section" aria-labelledby={headingId} aria-describedby={hintId}>
      <header className="settings-section__header">
        <h3 id={headingId} className="settings-section__title">
          Desktop notifications
        </h3>
        <p id={hintId} className="settings-section__hint" data-testid="notification-permission">
          {STATUS[permission]}
        </p>
      </header>
      {permission === 'default' ? (
        <button type="button" className="button button--ghost button--small" onClick={() => void ask()}>
          Turn on desktop notifications
        </button>
      ) : null}
    </section>
  );
}
