/**
 * Search across every room the caller may read. The query language is parsed here
 * (search-query.ts), so a bad query is refused the same way on every engine; the repository
 * only ever sees the caller's own rooms.
 */
import type { SearchResponse } from '@parley/protocol';
import type { Principal } from '../accounts/principal.js';
import { invalidField } from '../errors.js';
import { withCurrentAuthors } from '../messages/with-current-authors.js';
import type { Database } from '../ports/database.js';
import { withReactions } from '../reactions/with-reactions.js';
import { parseSearchQuery } from './search-query.js';

export class SearchService {
  constructor(private readonly db: Database) {}

  async search(
    principal: Principal,
    query: { q: string; limit: number; before?: string },
  ): Promise<SearchResponse> {
    const parsed = parseSearchQuery(query.q);
    if (!parsed.ok) throw invalidField('q', parsed.message);
    // `in:` a room the caller is not in finds nothing, exactly as an unknown room does: the
    // answer must not tell which private rooms exist.
    const { results, hasMore } = await this.db.search.search(principal.user.id, parsed.filters, {
      before: query.before,
      limit: query.limit,
    });
    const last = results[results.length - 1];
    // Results are messages of rooms the caller is in now, so their reactions are theirs to see:
    // read beside the page with one query, as for history pages.
    const messages = await withReactions(
      this.db,
      await withCurrentAuthors(
        this.db,
        results.map((result) => result.message),
      ),
    );
    return {
      results: results.map((result, index) => ({ ...result, message: messages[index] ?? result.message })),
      hasMore,
      ...(hasMore && last ? { nextCursor: last.message.id } : {}),
      terms: parsed.filters.terms,
    };
  }
}
