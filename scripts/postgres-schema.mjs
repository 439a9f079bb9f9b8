// Writes the PostgreSQL variant of prisma/schema.prisma. The models stay in prisma/schema.prisma
// (the one source of truth); only the datasource provider and the client's output differ.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** The schema every model is written in (SQLite). */
export const SCHEMA_PATH = path.join(root, 'prisma', 'schema.prisma');
/** The generated PostgreSQL schema (gitignored). */
export const POSTGRES_SCHEMA_PATH = path.join(root, 'prisma', 'postgres', 'schema.prisma');

const HEADER = '// GENERATED from prisma/schema.prisma by scripts/postgres-schema.mjs: do not edit, edit that file.\n';

/**
 * Turns the text of prisma/schema.prisma into the PostgreSQL schema: `provider = "postgresql"`
 * and the client written to engine/db/generated-pg. Throws when the blocks it rewrites are not
 * found, so a reshaped schema file cannot silently produce a SQLite client twice.
 *
 * @example
 * ```js
 * const pg = postgresSchema(readFileSync('prisma/schema.prisma', 'utf8'));
 * ```
 * @param {string} text the SQLite schema
 * @returns {string} the PostgreSQL schema
 */
export function postgresSchema(text) {
  const datasource = /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*output\s*=\s*)"\.\.\/engine\/db\/generated"/;
  if (!datasource.test(text) || !output.test(text)) {
    throw new Error('prisma/schema.prisma: expected `datasource db { provider = "sqlite" }` and `generator client { output = "../engine/db/generated" }`');
  }
  return HEADER + text.replace(datasource, '$1"postgresql"').replace(output, '$1"../../engine/db/generated-pg"');
}

/**
 * Writes prisma/postgres/schema.prisma from prisma/schema.prisma if it changed.
 *
 * @example
 * ```js
 * writePostgresSchema(); // true when the file was (re)written
 * ```
 * @returns {boolean} whether the file was written
 */
export function writePostgresSchema() {
  const next = postgresSchema(readFileSync(SCHEMA_PATH, 'utf8'));
  let current = '';
  try {
    current = readFileSync(POSTGRES_SCHEMA_PATH, 'utf8');
  } catch {
    // first run: no file yet
  }
  if (current === next) return false;
  mkdirSync(path.dirname(POSTGRES_SCHEMA_PATH), { recursive: true });
  writeFileSync(POSTGRES_SCHEMA_PATH, next);
  return true;
}
