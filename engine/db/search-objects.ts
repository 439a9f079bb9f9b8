/** The FTS5 tables of the search migration (SQLite). */
const FTS_TABLES = ['BusinessSearch', 'ProductSearch'] as const;
/** The tables FTS5 keeps beside each of its tables. */
const FTS_SHADOWS = ['_config', '_data', '_docsize', '_idx', '_content'] as const;

/**
 * What the search migrations make in raw SQL, which `schema.prisma` cannot
 * describe: SQLite's FTS5 tables (with their shadow tables) and PostgreSQL's
 * trigram indexes. Schema diffs and the drift tests leave them out.
 *
 * @example
 * ```ts
 * const mine = tables.filter((t) => !SEARCH_OBJECTS.sqliteTables.includes(t));
 * ```
 */
export const SEARCH_OBJECTS: { sqliteTables: readonly string[]; postgresIndexes: readonly string[] } = {
  sqliteTables: FTS_TABLES.flatMap((table) => [table, ...FTS_SHADOWS.map((suffix) => `${table}${suffix}`)]),
  postgresIndexes: ['Business_search', 'Product_search'],
};
