import { hueFor, initials } from '../util/format';

interface AvatarProps {
  userId: string;
  name: string;
  size?: 'sm' | 'md';
}

/** Initials on a colour that stays the same for a person. */
export function Avatar({ userId, name, size = 'md' }: AvatarProps) {
  const hue = hueFor(userId);
  return (
    <span
      className={`avatar avatar--${size}`}
      style={{ backgroundColor: `hsl(${hue} 55% 88%)`, color: `hsl(${hue} 55% 28%)` }}
      aria-hidden="true"
    >
      {initials(name)}
    </span>
  );
}
