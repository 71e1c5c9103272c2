/**
 * Multi-row statements for batches (a batch of messages writes its messages, events and job
 * completions with a few statements instead of one per row). A compiled statement has a fixed
 * shape (compiled-statements.ts), so there is one per row count, and a batch is cut into chunks
 * whose sizes are powers of two: at most 9 shapes per statement, each compiled once.
 */
import type { Compilable, Kysely } from 'kysely';
import { type CompiledStatements, type Statement, statement } from './compiled-statements.js';
import type { Tables } from './schema.js';

/** The largest chunk: 256 rows of 14 columns stay far below both engines' parameter limits. */
export const MAX_CHUNK = 256;

/** `items` cut into runs of power-of-two lengths, largest first, order kept: 300 → 256, 32, 8, 4. */
export function powerOfTwoChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let start = 0;
  while (start < items.length) {
    let size = MAX_CHUNK;
    while (size > items.length - start) size /= 2;
    chunks.push(items.slice(start, start + size));
    start += size;
  }
  return chunks;
}

/**
 * A statement per row count: `build(rows)` gives the statement's builder for that many rows,
 * taking its arguments flattened row after row.
 */
export function multiRowStatement(
  name: string,
  build: (rows: number) => (db: Kysely<Tables>, ...args: unknown[]) => Compilable<unknown>,
): (rows: number) => Statement<unknown[]> {
  const bySize = new Map<number, Statement<unknown[]>>();
  return (rows) => {
    let made = bySize.get(rows);
    if (!made) {
      made = statement(`${name} ×${rows}`, build(rows));
      bySize.set(rows, made);
    }
    return made;
  };
}

/**
 * A multi-row statement's arguments (as its builder gets them, after any leading ones) cut back
 * into its `rows` rows, each as long as the others.
 */
export function argumentRows<Row extends unknown[] = unknown[]>(
  args: readonly unknown[],
  rows: number,
): Row[] {
  const width = args.length / rows;
  return Array.from({ length: rows }, (_, row) => args.slice(row * width, (row + 1) * width) as Row);
}

/**
 * Runs a multi-row statement over `items`, one chunk at a time (powerOfTwoChunks): each run
 * takes `leading`, then each item's `argumentsOf` in order. Answers the rows every run
 * returned (RETURNING), in order.
 */
export async function runInChunks<Item, Row = unknown>(
  statements: CompiledStatements,
  db: Kysely<Tables>,
  statementFor: (rows: number) => Statement<unknown[]>,
  items: readonly Item[],
  argumentsOf: (item: Item) => readonly unknown[],
  leading: readonly unknown[] = [],
): Promise<Row[]> {
  const returned: Row[] = [];
  for (const chunk of powerOfTwoChunks(items)) {
    const { rows } = await statements.run<Row, unknown[]>(
      db,
      statementFor(chunk.length),
      ...leading,
      ...chunk.flatMap(argumentsOf),
    );
    returned.push(...rows);
  }
  return returned;
}
