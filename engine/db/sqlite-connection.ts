import type Database from 'better-sqlite3';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { VitrineError } from '../errors.ts';

/** The part of Prisma's adapter transaction this module wraps. */
interface AdapterTransaction {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

interface Adapter {
  client?: Database.Database;
  startTransaction(level?: string): Promise<AdapterTransaction>;
}

/** Stored on the Prisma client itself (its transaction clients read it through), like the flavour. */
const CONNECTION = Symbol('vitrine.sqliteConnection');

/**
 * The better-sqlite3 connection under a SQLite Prisma client, for the few
 * statements on the runtime's hot path (journal, conversation, outbox) that
 * run many times per message: a prepared better-sqlite3 statement costs a few
 * microseconds where a Prisma query costs a few hundred.
 *
 * Prisma and native statements share the one connection, so a transaction is
 * the connection's: a native statement run while a Prisma transaction is open
 * is part of it. Hence two ways in:
 * - inside a turn's Prisma transaction, run statements directly (they commit or
 *   roll back with it);
 * - outside one, {@link SqliteConnection.write} runs a native transaction
 *   when no Prisma transaction is open (at once, or as the open one ends), so it
 *   never joins someone else's work. It is synchronous from BEGIN to COMMIT,
 *   so nothing interleaves.
 *
 * @example
 * ```ts
 * const connection = sqliteConnection(db);
 * const ids = await connection.write(() => insert.run(...).lastInsertRowid, { durable: true });
 * ```
 */
export class SqliteConnection {
  private prismaTransactions = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly client: Database.Database) {}

  /**
   * Runs `work` in its own immediate transaction once no Prisma transaction is
   * open. `durable` commits with `synchronous = FULL` (the WAL is synced to
   * disk before this resolves); otherwise the connection's NORMAL applies,
   * which survives a crash of the process but not of the machine.
   */
  write<T>(work: () => T, options: { durable?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        try {
          resolve(this.runNow(work, options.durable === true));
        } catch (err) {
          reject(err);
        }
      };
      if (this.idle()) run();
      else this.waiting.push(run);
    });
  }

  /** Prepares a statement that returns plain numbers (Prisma's connection returns BigInts by default). */
  prepare(sql: string): Database.Statement {
    // The class's own prepare: the statement cache wraps the instance's for Prisma.
    const prepare = (Object.getPrototypeOf(this.client) as Database.Database).prepare;
    return prepare.call(this.client, sql).safeIntegers(false);
  }

  private idle(): boolean {
    return this.prismaTransactions === 0 && !this.client.inTransaction;
  }

  private runNow<T>(work: () => T, durable: boolean): T {
    if (!durable) return this.client.transaction(work).immediate();
    this.client.pragma('synchronous = FULL');
    try {
      return this.client.transaction(work).immediate();
    } finally {
      this.client.pragma('synchronous = NORMAL');
    }
  }

  /** Runs what waited, between two Prisma transactions. */
  private flush(): void {
    while (this.waiting.length > 0 && this.idle()) this.waiting.shift()?.();
  }

  /** Counts Prisma's transactions on this connection; native writes wait for them. */
  watch(adapter: Adapter): void {
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (level) => {
      const tx = await start(level);
      this.prismaTransactions += 1;
      const end = (close: () => Promise<void>) => () => {
        // Prisma has run COMMIT or ROLLBACK; its lock is still held, so the writes waiting go first.
        this.prismaTransactions -= 1;
        this.flush();
        return close();
      };
      tx.commit = end(tx.commit.bind(tx));
      tx.rollback = end(tx.rollback.bind(tx));
      return tx;
    };
  }
}

/**
 * Gives a SQLite Prisma adapter factory a {@link SqliteConnection} once it
 * connects (internal to engine/db).
 *
 * @example
 * ```ts
 * const native = withSqliteConnection(factory);
 * const db = new PrismaClient({ adapter: factory });
 * await db.$connect();
 * attachSqliteConnection(db, await native);
 * ```
 */
export function withSqliteConnection(factory: PrismaBetterSqlite3): Promise<SqliteConnection> {
  const connect = factory.connect.bind(factory);
  return new Promise((resolve) => {
    factory.connect = async () => {
      const adapter = (await connect()) as unknown as Adapter;
      if (adapter.client) {
        const connection = new SqliteConnection(adapter.client);
        connection.watch(adapter);
        resolve(connection);
      }
      return adapter as unknown as Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;
    };
  });
}

/**
 * Records the connection under a Prisma client (internal to engine/db).
 *
 * @example
 * ```ts
 * attachSqliteConnection(db, connection);
 * ```
 */
export function attachSqliteConnection<T extends object>(db: T, connection: SqliteConnection): T {
  Object.defineProperty(db, CONNECTION, { value: connection, enumerable: false });
  return db;
}

/**
 * The native connection of a SQLite client opened by `openDatabase` (also asked
 * of its transaction clients); `undefined` for PostgreSQL.
 *
 * @example
 * ```ts
 * const native = sqliteConnection(db);
 * if (native) native.prepare('SELECT 1').get();
 * ```
 */
export function sqliteConnection(db: object): SqliteConnection | undefined {
  const connection: unknown = (db as { [CONNECTION]?: unknown })[CONNECTION];
  if (connection === undefined) return undefined;
  if (!(connection instanceof SqliteConnection)) throw new VitrineError('VT_ERR_DATABASE', 'Not a SQLite connection');
  return connection;
}
