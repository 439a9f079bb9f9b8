/** The schema every model is written in (SQLite). */
export declare const SCHEMA_PATH: string;
/** The generated PostgreSQL schema (gitignored). */
export declare const POSTGRES_SCHEMA_PATH: string;
/**
 * Turns the text of prisma/schema.prisma into the PostgreSQL schema.
 *
 * @example
 * ```ts
 * const pg = postgresSchema(readFileSync('prisma/schema.prisma', 'utf8'));
 * ```
 */
export declare function postgresSchema(text: string): string;
/**
 * Writes prisma/postgres/schema.prisma from prisma/schema.prisma if it changed.
 *
 * @example
 * ```ts
 * writePostgresSchema(); // true when the file was (re)written
 * ```
 */
export declare function writePostgresSchema(): boolean;
