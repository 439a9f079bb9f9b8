export { openDatabase, sqlitePath, DEFAULT_DATABASE_URL, type Db, type OpenDatabaseOptions } from './open-database.ts';
export { migrateSqlite, MIGRATIONS_DIR, type AppliedMigration } from './migrate.ts';
