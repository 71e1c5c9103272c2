import { LIMITS } from '@parley/protocol';

/** A slug from a room name: lower case a-z 0-9 and single dashes, at least 2 characters. */
export function slugFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = base.slice(0, LIMITS.slugMax).replace(/-+$/, '');
  return cut.length >= LIMITS.slugMin ? cut : `room${cut ? `-${cut}` : ''}`;
}

/** The n-th candidate for a derived slug: base, base-2, base-3, … with the base cut to fit. */
export function slugCandidate(base: string, n: number): string {
  if (n === 1) return base;
  const suffix = `-${n}`;
  return `${base.slice(0, LIMITS.slugMax - suffix.length).replace(/-+$/, '')}${suffix}`;
}
