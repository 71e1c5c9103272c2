import type { CSSProperties } from 'react';
import { hueFor, initials } from '../util/format';

interface AvatarProps {
  userId: string;
  name: string;
  size?: 'sm' | 'md';
}

/** Initials on a colour that stays the same for a person (its shades come from the theme). */
export function Avatar({ userId, name, size = 'md' }: AvatarProps) {
  const hue = hueFor(userId);
  return (
    <span
      className={`avatar avatar--${size}`}
      style={{ '--avatar-hue': hue } as CSSProperties}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}
