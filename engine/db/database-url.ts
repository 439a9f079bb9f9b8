import path from 'node:path';
import { VitrineError } from '../errors.ts';

/** Which database a URL or an open client is: an embedded SQLite file or a PostgreSQL server. */
export type DatabaseFlavour = 'sqlite' | 'postgresql';

/** How Vitrine connects to a PostgreSQL server, read from a `postgresql://` URL. */
export interface PostgresConfig {
  /** The URL for `pg`, without the parameters Vitrine reads itself. */
  connectionString: string;
  /** Connections in the pool: `?connection_limit=` (default {@link DEFAULT_POOL_SIZE}). */
  poolSize: number;
  /** `?connect_timeout=` in seconds, as milliseconds (default 10 s). */
  connectTimeoutMs: number;
  /**
   * Session settings sent when connecting: `TimeZone=UTC`, so that SQL-side `CURRENT_TIMESTAMP`
   * defaults agree with Prisma, which reads timestamps without time zone as UTC (an
   * `options=` parameter in the URL replaces it); and how similar a word must be for
   * a search to find it (`pg_trgm.word_similarity_threshold`).
   */
  sessionOptions: string;
  /** The URL with its password hidden, for messages and logs. */
  display: string;
}

/** Pool size when the URL does not say (`?connection_limit=`). */
export const DEFAULT_POOL_SIZE = 10;

/**
 * Options of every PostgreSQL session: UTC, and how similar a word must be for a
 * search to find it (pg_trgm's word similarity; its default, 0.6, misses most
 * words with two typos).
 */
const SESSION_OPTIONS = '-c TimeZone=UTC -c pg_trgm.word_similarity_threshold=0.35';

const EXPECTED = 'expected file:<path> (SQLite) or postgresql://user:password@host:port/database (PostgreSQL)';

/**
 * The URL with its password replaced by `***`, safe for messages and logs.
 *
 * @example
 * ```ts
 * redactUrl('postgresql://app:s3cret@db:5432/shop'); // 'postgresql://app:***@db:5432/shop'
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * The flavour of a `DATABASE_URL`, or a `VT_ERR_DATABASE` error naming what was expected.
 *
 * @example
 * ```ts
 * databaseFlavourOf('file:./data/vitrine.db'); // 'sqlite'
 * databaseFlavourOf('postgres://localhost/shop'); // 'postgresql'
 * ```
 */
export function databaseFlavourOf(url: string): DatabaseFlavour {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgresql';
  throw new VitrineError('VT_ERR_DATABASE', `Unsupported DATABASE_URL "${redactUrl(url)}": ${EXPECTED}`, { context: { url: redactUrl(url) } });
}

/**
 * Resolves a `file:` URL to a file path.
 *
 * @example
 * ```ts
 * sqlitePath('file:./data/vitrine.db'); // '/abs/path/data/vitrine.db'
 * ```
 */
export function sqlitePath(url: string): string {
  if (!url.startsWith('file:')) {
    throw new VitrineError('VT_ERR_DATABASE', `Unsupported DATABASE_URL "${redactUrl(url)}": expected file:<path> for SQLite`);
  }
  return path.resolve(url.slice('file:'.length));
}

function positiveInt(value: string | null, name: string, url: string, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new VitrineError('VT_ERR_DATABASE', `DATABASE_URL "${redactUrl(url)}": ${name}=${value} must be a whole number above 0`);
  }
  return n;
}

/**
 * Reads a `postgresql://` or `postgres://` URL: pool size (`connection_limit`), connect
 * timeout (`connect_timeout`, seconds); every other parameter (`sslmode` …) goes to `pg`.
 *
 * @example
 * ```ts
 * postgresConfig('postgresql://app@db:5432/shop?connection_limit=20').poolSize; // 20
 * ```
 */
export function postgresConfig(url: string): PostgresConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new VitrineError('VT_ERR_DATABASE', `DATABASE_URL "${redactUrl(url)}" is not a valid URL: ${EXPECTED}`, { cause: err });
  }
  if (!/^postgres(ql)?:$/i.test(parsed.protocol) || (parsed.hostname === '' && !parsed.searchParams.has('host')) || parsed.pathname.length < 2) {
    throw new VitrineError('VT_ERR_DATABASE', `DATABASE_URL "${redactUrl(url)}" names no host or no database: ${EXPECTED}`);
  }
  const poolSize = positiveInt(parsed.searchParams.get('connection_limit'), 'connection_limit', url, DEFAULT_POOL_SIZE);
  const connectTimeoutMs = positiveInt(parsed.searchParams.get('connect_timeout'), 'connect_timeout', url, 10) * 1000;
  parsed.searchParams.delete('connection_limit');
  parsed.searchParams.delete('connect_timeout');
  return { connectionString: parsed.toString(), poolSize, connectTimeoutMs, sessionOptions: SESSION_OPTIONS, display: redactUrl(url) };
}
