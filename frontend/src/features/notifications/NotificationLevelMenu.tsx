import type { NotifyLevel } from '@parley/protocol';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { BellIcon } from '../../ui/Icons';

const LEVELS: { level: NotifyLevel; label: string; detail: string }[] = [
  { level: 'all', label: 'All messages', detail: 'Notify me of every new message' },
  { level: 'mentions', label: 'Mentions only', detail: 'Only @you, @room and @here' },
  { level: 'mute', label: 'Mute', detail: 'Never notify; dim the room in the list' },
];

/**
 * The room header's notification control: a bell that opens a menu of the three levels
 * (menuitemradio, arrow keys move, Escape closes and gives focus back to the bell).
 */
export function NotificationLevelMenu({
  level,
  onChange,
}: {
  level: NotifyLevel;
  onChange: (level: NotifyLevel) => void;
}) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const current = LEVELS.find((item) => item.level === level) ?? LEVELS[1];

  useEffect(() => {
    if (!open) return;
    const checked = menu.current?.querySelector<HTMLElement>('[aria-checked="true"]');
    (checked ?? menu.current?.querySelector<HTMLElement>('[role="menuitemradio"]'))?.focus();
    const closeOutside = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node) && event.target !== button.current) setOpen(false);
    };
    document.addEventListener('pointerdown', closeOutside);
    return () => document.removeEventListener('pointerdown', closeOutside);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  function onMenuKey(event: KeyboardEvent<HTMLDivElement>) {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitemradio"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown') items[(index + 1) % items.length]?.focus();
    else if (event.key === 'ArrowUp') items[(index - 1 + items.length) % items.length]?.focus();
    else if (event.key === 'Escape' || event.key === 'Tab') close();
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div className="notify-menu">
      <button
        ref={button}
        type="button"
        className={`icon-button notify-menu__button${level === 'mute' ? ' notify-menu__button--muted' : ''}`}
        aria-label={`Notifications: ${current?.label}`}
        title={`Notifications: ${current?.label}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen((shown) => !shown)}
      >
        <BellIcon off={level === 'mute'} />
      </button>
      {open ? (
        <div
          ref={menu}
          id={menuId}
          role="menu"
          aria-label="Notify me about"
          className="notify-menu__list"
          onKeyDown={onMenuKey}
          tabIndex={-1}
        >
          {LEVELS.map((item) => (
            <button
              key={item.level}
              type="button"
              role="menuitemradio"
              aria-checked={item.level === level}
              className="notify-menu__item"
              onClick={() => {
                onChange(item.level);
                close();
              }}
            >
              <span className="notify-menu__check" aria-hidden="true">
                {item.level === level ? '✓' : ''}
              </span>
              <span className="notify-menu__text">
                <span className="notify-menu__label">{item.label}</span>
                <span className="notify-menu__detail">{item.detail}</span>
              </span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
