import { VitrineError } from '../errors.ts';
import type { DatabaseFlavour } from './database-url.ts';

/**
 * Stored on the client itself, not in a WeakMap: Prisma's transaction and `$extends`
 * clients are other objects that read unknown properties through to the client.
 */
const FLAVOUR = Symbol('vitrine.databaseFlavour');

/**
 * Records the flavour of a client `openDatabase` created (internal to engine/db).
 *
 * @example
 * ```ts
 * return rememberFlavour(client, 'postgresql');
 * ```
 */
export function rememberFlavour<T extends object>(db: T, flavour: DatabaseFlavour): T {
  Object.defineProperty(db, FLAVOUR, { value: flavour, enumerable: false });
  return db;
}

/**
 * Which database a client opened by `openDatabase` talks to (also asked of its
 * transaction clients), for the rare query that must differ: row locks such as
 * `FOR UPDATE SKIP LOCKED` exist only on PostgreSQL, SQLite serializes writers instead.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ url: process.env.DATABASE_URL });
 * await db.$transaction(async (tx) => {
 *   const lock = databaseFlavour(tx) === 'postgresql' ? 'FOR UPDATE SKIP LOCKED' : '';
 * });
 * ```
 */
export function databaseFlavour(db: object): DatabaseFlavour {
  const flavour: unknown = (db as { [FLAVOUR]?: unknown })[FLAVOUR];
  if (flavour !== 'sqlite' && flavour !== 'postgresql') {
    throw new VitrineError('VT_ERR_DATABASE', 'databaseFlavour: not a client opened by openDatabase (or one of its transaction clients)');
  }
  return flavour;
}
