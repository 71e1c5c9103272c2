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

/** Derived slugs get -2 and -3 when taken; past those, a random suffix. */
const NUMBERED_CANDIDATES = 3;
const RANDOM_SUFFIX_LENGTH = 6;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The n-th candidate for a derived slug: base, base-2, base-3, then base-<6 random letters and
 * digits> (36^6 choices), with the base cut to fit. So many rooms may share a name (or a name of
 * no Latin letters, whose base is `room`) and each still finds a free address in a try or two,
 * instead of counting up through every taken one.
 */
export function slugCandidate(base: string, n: number, random: () => number = Math.random): string {
  if (n === 1) return base;
  const suffix = n <= NUMBERED_CANDIDATES ? `-${n}` : `-${randomSuffix(random)}`;
  return `${base.slice(0, LIMITS.slugMax - suffix.length).replace(/-+$/, '')}${suffix}`;
}

function randomSuffix(random: () => number): string {
  let suffix = '';
  for (let i = 0; i < RANDOM_SUFFIX_LENGTH; i++) {
    suffix += SUFFIX_ALPHABET[Math.floor(random() * SUFFIX_ALPHABET.length)];
  }
  return suffix;
}
