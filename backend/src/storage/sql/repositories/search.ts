/**
 * Message search over the trigram index of migration 013. One query for both engines; only how
 * a term meets the index differs (EngineFeatures.textSearch):
 *
 * - SQLite: terms of 3+ characters go to the FTS5 trigram table as one MATCH of quoted phrases
 *   (a trigram phrase matches any substring, case-insensitively), joined back by rowid.
 * - PostgreSQL: each term is `lower(text) like '%term%'`, which the GIN gin_trgm_ops index on
 *   lower(text) serves.
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

/** `%term%` for LIKE, with LIKE's own characters taken literally (escape `\`). */
const containing = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** An FTS5 phrase: the term in double quotes, inner quotes doubled, so nothing in it is syntax. */
const ftsPhrase = (term: string): string => `"${term.replaceAll('"', '""')}"`;

export class SqlSearch implements MessageSearchRepository {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly features: EngineFeatures,
  ) {}

  async search(
    userId: string,
    filters: SearchFilters,
    page: { before?: string; limit: number },
  ): Promise<{ results: SearchResult[]; hasMore: boolean }> {
    const rows = await this.db
      .selectFrom('messages as m')
      // Only rooms the caller is in: the contract lets only members read a room's history.
      .innerJoin('memberships as ms', (join) =>
        join.onRef('ms.room_id', '=', 'm.room_id').on('ms.user_id', '=', userId),
      )
      .innerJoin('rooms as r', 'r.id', 'm.room_id')
      .select(['m.view', 'r.id as room_id', 'r.slug', 'r.name', 'r.visibility'])
      .where('m.deleted_at', 'is', null)
      .$if(filters.in !== undefined, (q) => q.where('r.slug', '=', filters.in ?? ''))
      .$if(filters.from !== undefined, (q) =>
        q.where('m.author_id', 'in', (users) =>
          users
            .selectFrom('users')
            .select('id')
            .where('username', '=', filters.from ?? ''),
        ),
      )
      .$if(filters.hasFile, (q) => q.where('m.file_id', 'is not', null))
      .$if(filters.createdBefore !== undefined, (q) =>
        q.where('m.created_at', '<', filters.createdBefore ?? ''),
      )
      .$if(filters.createdFrom !== undefined, (q) => q.where('m.created_at', '>=', filters.createdFrom ?? ''))
      .$if(page.before !== undefined, (q) => q.where('m.id', '<', page.before ?? ''))
      .where((eb) => eb.and(this.termConditions(filters.terms)))
      .orderBy('m.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const results = rows.slice(0, page.limit).map((row) => ({
      message: JSON.parse(row.view) as Message,
      room: { id: row.room_id, slug: row.slug, name: row.name, kind: row.visibility },
    }));
    return { results, hasMore: rows.length > page.limit };
  }

  /** One condition per term (all must hold); the indexed ones through the engine's index. */
  private termConditions(terms: string[]): Expression<SqlBool>[] {
    const indexed = terms.filter((term) => codePointLength(term) >= MIN_INDEXED_TERM);
    const scanned = terms.filter((term) => codePointLength(term) < MIN_INDEXED_TERM);
    const conditions: Expression<SqlBool>[] = [];
    if (this.features.textSearch === 'fts5-trigram') {
      if (indexed.length > 0) {
        const match = indexed.map(ftsPhrase).join(' AND ');
        conditions.push(
          sql<SqlBool>`m.rowid in (select rowid from message_search where message_search match ${match})`,
        );
      }
      // SQLite's LIKE ignores case (ASCII letters), as the trigram index does.
      for (const term of scanned) conditions.push(sql<SqlBool>`m.text like ${containing(term)} escape '\\'`);
    } else {
      for (const term of [...indexed, ...scanned]) {
        conditions.push(sql<SqlBool>`lower(m.text) like ${containing(term)} escape '\\'`);
      }
    }
    return conditions;
  }
}
