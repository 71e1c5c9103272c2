/** Where the SQL under the repositories must differ between the engines we run on. */
export interface EngineFeatures {
  /**
   * Whether the engine locks rows (`select … for update skip locked`), as PostgreSQL does, so a
   * claim must lock what it takes and skip what others are taking. SQLite has none and needs
   * none: a write transaction holds the whole database, so its statements never interleave.
   */
  rowLocks: boolean;
  /**
   * How message text is searched (migration 013): SQLite's FTS5 trigram index matched with
   * MATCH, or PostgreSQL's pg_trgm GIN index on lower(text) used by LIKE.
   */
  textSearch: 'fts5-trigram' | 'pg-trgm';
}
