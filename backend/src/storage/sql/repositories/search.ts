/**
 * Message search over the trigram index of migration 013. The filters and the caller's rooms
 * are the same SQL on both engines; how terms meet the index differs (EngineFeatures.textSearch):
 *
 * - SQLite: terms of 3+ characters go to the FTS5 trigram table as one MATCH of quoted phrases
 *   (a trigram phrase matches any substring, case-insensitively), and the query is driven from
 *   it: `message_search CROSS JOIN messages` (CROSS JOIN fixes the loop order in SQLite), in
 *   descending rowid, which FTS5 walks in order, so the newest 21 matches cost 21 lookups
 *   however common the word (the other order sorts every match: 100x slower on a common word
 *   over a million messages). Rowid order is insertion order, which is id order: messages are
 *   inserted as their time-ordered ids are made, by one process.
 * - PostgreSQL: each term is `lower(text) like '%term%'`, which the GIN gin_trgm_ops index on
 *   lower(text) serves; newest first by id.
 *
 * Shorter terms cannot use a trigram index on either engine: they are checked with LIKE on the
 * rows the other conditions leave (the parser refuses a query with nothing else to narrow it).
 */
import type { Message, SearchResult } from '@parley/protocol';
import { codePointLength } from '@parley/protocol';
import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { MessageSearchRepository } from '../../../core/ports/message-search.js';
import { MIN_INDEXED_TERM, type SearchFilters } from '../../../core/search/search-query.js';
import type { EngineFeatures } from '../engine-features.js';
import type { Tables } from '../schema.js';

/** The FTS5 table of migration 013 (SQLite only), as far as these queries use it. */
interface SearchTables extends Tables {
  message_search: { rowid: number; text: string };
}

/** `%term%` for LIKE, with LIKE's own characters taken literally (escape `\`). */
const containing = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** An FTS5 phrase: the term in double quotes, inner quotes doubled, so nothing in it is syntax. */
const ftsPhrase = (term: string): string => `"${term.replaceAll('"', '""')}"`;

type Row = {
  view: string;
  room_id: string;
  slug: string;
  name: string;
  visibility: Tables['rooms']['visibility'];
};

export class SqlSearch implements MessageSearchRepository {
  private readonly db: Kysely<SearchTables>;

  constructor(
    db: Kysely<Tables>,
    private readonly features: EngineFeatures,
  ) {
    this.db = db as unknown as Kysely<SearchTables>;
  }

  async search(
    userId: string,
    filters: SearchFilters,
    page: { before?: string; limit: number },
  ): Promise<{ results: SearchResult[]; hasMore: boolean }> {
    const indexed = filters.terms.filter((term) => codePointLength(term) >= MIN_INDEXED_TERM);
    const rows =
      this.features.textSearch === 'fts5-trigram' && indexed.length > 0
        ? await this.fromTrigramTable(userId, filters, indexed, page)
        : await this.fromMessages(userId, filters, page);
    const results = rows.slice(0, page.limit).map((row) => ({
      message: JSON.parse(row.view) as Message,
      room: { id: row.room_id, slug: row.slug, name: row.name, kind: row.visibility },
    }));
    return { results, hasMore: rows.length > page.limit };
  }

  /** SQLite with indexed terms: walk the FTS5 matches newest first, keep what passes. */
  private fromTrigramTable(
    userId: string,
    filters: SearchFilters,
    indexed: string[],
    page: { before?: string; limit: number },
  ): Promise<Row[]> {
    const match = indexed.map(ftsPhrase).join(' AND ');
    return this.db
      .selectFrom('message_search as s')
      .crossJoin('messages as m')
      .where(sql<SqlBool>`m.rowid = s.rowid`)
      .where(sql<SqlBool>`message_search match ${match}`)
      .innerJoin('memberships as ms', (join) =>
        join.onRef('ms.room_id', '=', 'm.room_id').on('ms.user_id', '=', userId),
      )
      .innerJoin('rooms as r', 'r.id', 'm.room_id')
      .select(['m.view', 'r.id as room_id', 'r.slug', 'r.name', 'r.visibility'])
      .where((eb) => eb.and(this.conditions(filters)))
      .$if(page.before !== undefined, (q) =>
        q.where(sql<SqlBool>`s.rowid < (select rowid from messages where id = ${page.before ?? ''})`),
      )
      .orderBy(sql`s.rowid`, 'desc')
      .limit(page.limit + 1)
      .execute();
  }

  /** PostgreSQL, or SQLite with only short terms or filters: newest first by id. */
  private fromMessages(userId: string, filters: SearchFilters, page: { before?: string; limit: number }) {
    return (
      this.db
        .selectFrom('messages as m')
        // Only rooms the caller is in: the contract lets only members read a room's history.
        .innerJoin('memberships as ms', (join) =>
          join.onRef('ms.room_id', '=', 'm.room_id').on('ms.user_id', '=', userId),
        )
        .innerJoin('rooms as r', 'r.id', 'm.room_id')
        .select(['m.view', 'r.id as room_id', 'r.slug', 'r.name', 'r.visibility'])
        .where((eb) => eb.and(this.conditions(filters)))
        .$if(page.before !== undefined, (q) => q.where('m.id', '<', page.before ?? ''))
        .orderBy('m.id', 'desc')
        .limit(page.limit + 1)
        .execute()
    );
  }

  /**
   * Every condition but the caller's rooms and the order: live messages, the filters, and the
   * terms the trigram table does not already match (on SQLite the short ones; on PostgreSQL
   * all, each a LIKE its GIN index serves).
   */
  private conditions(filters: SearchFilters): Expression<SqlBool>[] {
    const conditions: Expression<SqlBool>[] = [sql<SqlBool>`m.deleted_at is null`];
    if (filters.in !== undefined) conditions.push(sql<SqlBool>`r.slug = ${filters.in}`);
    if (filters.from !== undefined) {
      conditions.push(sql<SqlBool>`m.author_id in (select id from users where username = ${filters.from})`);
    }
    if (filters.hasFile) conditions.push(sql<SqlBool>`m.file_id is not null`);
    if (filters.createdBefore !== undefined)
      conditions.push(sql<SqlBool>`m.created_at < ${filters.createdBefore}`);
    if (filters.createdFrom !== undefined)
      conditions.push(sql<SqlBool>`m.created_at >= ${filters.createdFrom}`);
    for (const term of filters.terms) {
      const short = codePointLength(term) < MIN_INDEXED_TERM;
      if (this.features.textSearch === 'fts5-trigram') {
        // Long terms on SQLite are the MATCH (or lead to fromTrigramTable); short ones a scan.
        // SQLite's LIKE ignores case (ASCII letters), as the trigram index does.
        if (short) conditions.push(sql<SqlBool>`m.text like ${containing(term)} escape '\\'`);
      } else {
        // Backslash is PostgreSQL's default LIKE escape: the plain form is the one the GIN
        // index on lower(text) is planned for.
        conditions.push(sql<SqlBool>`lower(m.text) like ${containing(term)}`);
      }
    }
    return conditions;
  }
}
