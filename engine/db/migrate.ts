import path from 'node:path';
import Database from 'better-sqlite3';
import { VitrineError } from '../errors.ts';
import { readMigrations, type AppliedMigration } from './migration-files.ts';

/** The folder of SQLite migrations shipped with Vitrine. */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '..', '..', 'prisma', 'migrations');

/**
 * Applies `prisma/migrations/<name>/migration.sql` files that a SQLite database
 * has not had yet, in name order, each in its own transaction, and records them
 * in `_vitrine_migrations`. Safe to run at every start.
 *
 * @example
 * ```ts
 * const applied = migrateSqlite('./data/vitrine.db');
 * console.log(applied.map((m) => m.name));
 * ```
 */
export function migrateSqlite(file: string, migrationsDir: string = MIGRATIONS_DIR): AppliedMigration[] {
  const migrations = readMigrations(migrationsDir);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS "_vitrine_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)');
    const done = new Set(db.prepare('SELECT name FROM "_vitrine_migrations"').pluck().all() as string[]);
    const applied: AppliedMigration[] = [];
    for (const { name, sql } of migrations) {
      if (done.has(name)) continue;
      // Table-rebuild migrations switch foreign keys off; that pragma is ignored inside a transaction.
      db.pragma('foreign_keys = OFF');
      try {
        db.transaction(() => {
          db.exec(sql);
          db.prepare('INSERT INTO "_vitrine_migrations" (name, appliedAt) VALUES (?, ?)').run(name, new Date().toISOString());
        })();
      } catch (err) {
        throw new VitrineError('VT_ERR_DATABASE', `Migration ${name} failed: ${(err as Error).message}`, { cause: err, context: { file, migration: name } });
      } finally {
        db.pragma('foreign_keys = ON');
      }
      applied.push({ name });
    }
    return applied;
  } finally {
    db.close();
  }
}
