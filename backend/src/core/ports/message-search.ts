import type { SearchResult } from '@parley/protocol';
import type { SearchFilters } from '../search/search-query.js';

/** Full-text search over messages, behind a trigram index on each engine. */
export interface MessageSearchRepository {
  /**
   * Live (not deleted) messages matching every filter, in rooms `userId` is a member of only,
   * newest first (by id: ids are time-ordered), older than the message `before` when given.
   */
  search(
    userId: string,
    filters: SearchFilters,
    page: { before?: string; limit: number },
  ): Promise<{ results: SearchResult[]; hasMore: boolean }>;
}
