import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { VitrineError } from '../errors.ts';

/** One migration applied by a migration runner. */
export interface AppliedMigration {
  name: string;
}

/** A migration read from its folder: `<dir>/<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  sql: string;
}

/**
 * The migrations of a folder, in name order (names start with a timestamp).
 *
 * @example
 * ```ts
 * for (const { name, sql } of readMigrations('prisma/migrations')) console.log(name, sql.length);
 * ```
 */
export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) {
    throw new VitrineError('VT_ERR_DATABASE', `No migrations folder at ${migrationsDir}`);
  }
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8') }));
}
