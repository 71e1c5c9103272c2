/**
 * Statements Kysely builds and compiles only once per database. Kysely turns every query into
 * SQL anew, and its builder and compiler cost more than SQLite takes to run a small statement;
 * the statements run for every message (take a seq, insert the message and its event, complete
 * the job, accept a job) and every history page are always the same SQL.
 *
 * The first run of a statement compiles it with marker values in place of its arguments, to
 * learn where each argument lands among the parameters; every later run sends the stored SQL
 * with the real arguments put in those places. So a statement's shape must not depend on its
 * arguments: no `in` lists of varying length, no optional clauses, no arithmetic on arguments
 * in JavaScript (pass the computed value as an argument instead).
 */
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Tables } from './schema.js';

export interface Statement<Args extends unknown[]> {
  readonly name: string;
  readonly build: (db: Kysely<Tables>, ...args: Args) => Compilable<unknown>;
}

export function statement<Args extends unknown[]>(
  name: string,
  build: (db: Kysely<Tables>, ...args: Args) => Compilable<unknown>,
): Statement<Args> {
  return { name, build };
}

interface Template {
  sql: string;
  /** For each parameter: the index of the argument that fills it, or a constant of the query. */
  slots: (number | { constant: unknown })[];
}

const markerOf = (index: number) => `\u0000argument ${index}\u0000`;

/** One per database (the SQL is the dialect's), shared by its transactions. */
export class CompiledStatements {
  private readonly templates = new Map<Statement<never>, Template>();

  async run<Row, Args extends unknown[]>(
    db: Kysely<Tables>,
    statement: Statement<Args>,
    ...args: Args
  ): Promise<QueryResult<Row>> {
    let template = this.templates.get(statement as Statement<never>);
    if (!template) {
      template = compileTemplate(db, statement, args.length);
      this.templates.set(statement as Statement<never>, template);
    }
    const parameters = template.slots.map((slot) => (typeof slot === 'number' ? args[slot] : slot.constant));
    return db.executeQuery<Row>(CompiledQuery.raw(template.sql, parameters));
  }
}

function compileTemplate<Args extends unknown[]>(
  db: Kysely<Tables>,
  statement: Statement<Args>,
  arity: number,
): Template {
  const markers = Array.from({ length: arity }, (_, index) => markerOf(index));
  const compiled = statement.build(db, ...(markers as Args)).compile();
  const slots = compiled.parameters.map((parameter) => {
    const index = typeof parameter === 'string' ? markers.indexOf(parameter) : -1;
    return index >= 0 ? index : { constant: parameter };
  });
  for (let index = 0; index < arity; index++) {
    if (!slots.includes(index)) {
      throw new Error(`statement ${statement.name}: argument ${index} is not a plain parameter of its SQL`);
    }
  }
  return { sql: compiled.sql, slots };
}
