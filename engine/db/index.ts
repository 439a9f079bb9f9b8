export { openDatabase, DEFAULT_DATABASE_URL, type Db, type OpenDatabaseOptions } from './open-database.ts';
export { databaseFlavour } from './database-flavour.ts';
export { databaseFlavourOf, postgresConfig, redactUrl, sqlitePath, DEFAULT_POOL_SIZE, type DatabaseFlavour, type PostgresConfig } from './database-url.ts';
export { migrateSqlite, MIGRATIONS_DIR } from './migrate.ts';
export { migratePostgres, POSTGRES_MIGRATIONS_DIR } from './migrate-postgres.ts';
export { readMigrations, type AppliedMigration, type MigrationFile } from './migration-files.ts';
export { isUniqueViolation } from './unique-violation.ts';
