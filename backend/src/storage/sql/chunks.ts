/**
 * Long id lists are queried in slices: SQLite allows 32,766 bound parameters per statement and
 * PostgreSQL 65,535, and a few hundred per query keeps each one quick.
 */
export const MAX_IDS_PER_QUERY = 500;

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
