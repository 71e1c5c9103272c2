import { smallAvatarUrl } from '@parley/protocol';
import { type CSSProperties, useState } from 'react';
import { hueFor, initials } from '../util/format';
import { useAvatarUrl } from './AvatarUrls';

interface AvatarProps {
  userId: string;
  name: string;
  /** The person's picture (`avatarUrl`); without one, or when it fails to load, their initials. */
  url?: string | null | undefined;
  size?: 'sm' | 'md' | 'lg';
}

/**
 * A person's picture, or their initials on a colour that stays the same for them (its shades
 * come from the theme). Small avatars load the 64 px variant; the others the 256 px one, sharp
 * on high-density screens. Decorative: the name is always written beside it.
 */
export function Avatar({ userId, name, url, size = 'md' }: AvatarProps) {
  const resolve = useAvatarUrl();
  const [failed, setFailed] = useState<string | null>(null);
  const hue = hueFor(userId);
  const style = { '--avatar-hue': hue } as CSSProperties;
  if (url && failed !== url) {
    return (
      <span className={`avatar avatar--${size} avatar--picture`} style={style} aria-hidden="true">
        <img
          className="avatar__image"
          src={resolve(size === 'sm' ? smallAvatarUrl(url) : url)}
          alt=""
          loading="lazy"
          decoding="async"
          draggable={false}
          onError={() => setFailed(url)}
        />
      </span>
    );
  }
  return (
    <span className={`avatar avatar--${size}`} style={style} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
