import { close, fdatasync, open } from 'node:fs';
import { promisify } from 'node:util';
import type Database from 'better-sqlite3';
import { Mutex } from 'async-mutex';
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
  dispose(): Promise<void>;
}

const openFile = promisify(open);
const syncData = promisify(fdatasync);

/** Stored on the Prisma client itself (its transaction clients read it through), like the flavour. */
const CONNECTION = Symbol('vitrine.sqliteConnection');

/**
 * The answer of {@link sqliteConnection} per client: reading the property goes
 * through the Prisma client's proxy, which costs more than the statements it
 * leads to, and the hot path asks several times per turn.
 */
const connections = new WeakMap<object, SqliteConnection | null>();

/**
 * The better-sqlite3 connection under a SQLite Prisma client, for the few
 * statements on the runtime's hot path (journal, conversation, outbox) that
 * run many times per message: a prepared better-sqlite3 statement costs a few
 * microseconds where a Prisma query costs a few hundred.
 *
 * Prisma and native statements share the one connection, so a transaction is
 * the connection's, and one runs at a time: Prisma's interactive transactions
 * and the native writes take turns on one lock, in arrival order.
 * - Inside a Prisma transaction (a turn's), native statements run directly
 *   and commit or roll back with it.
 * - Outside one, {@link SqliteConnection.write} runs synchronous work, BEGIN to
 *   COMMIT in one go, optionally synced to disk before it resolves.
 *
 * (Turns keep Prisma's transaction: Prisma opens one of its own for a nested
 * write, which a native transaction held across awaits would deadlock.)
 *
 * @example
 * ```ts
 * const connection = sqliteConnection(db);
 * const id = await connection.write(() => insert.run(botId, messageId).lastInsertRowid, { durable: true });
 * ```
 */
export class SqliteConnection {
  /** One transaction at a time on the connection: Prisma's, and native ones, in arrival order. */
  private readonly lock = new Mutex();
  /** The write-ahead log's file descriptor, opened at the first durable write. */
  private wal: Promise<number> | undefined;
  /** The sync of the write-ahead log in flight, and the one that will follow it. */
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;
  /** Statements of {@link cached}, by key: a fixed set of texts written in the code. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly client: Database.Database) {
    // Commits are not synced one by one (FULL would sync each on the event loop): a commit
    // survives the process dying, and `write(…, { durable: true })` syncs the log off the
    // event loop for what must survive the machine too (admissions). Set here rather than
    // left to the driver's build default for databases in WAL mode.
    client.pragma('synchronous = NORMAL');
  }

  /**
   * Runs synchronous `work` in its own immediate transaction, after the
   * transactions before it. With `durable`, resolves only once the commit is
   * on disk: the write-ahead log is synced after the commit, off the event
   * loop, and the commits that arrive during one sync share the next.
   * Otherwise the connection's `synchronous = NORMAL` applies, which survives a
   * crash of the process but not of the machine.
   */
  async write<T>(work: () => T, options: { durable?: boolean } = {}): Promise<T> {
    const result = await this.lock.runExclusive(() => this.client.transaction(work).immediate());
    if (options.durable) await this.syncLog();
    return result;
  }

  /**
   * Syncs the write-ahead log (`fdatasync` in libuv's thread pool). A sync that
   * began before this call may have missed the caller's commit, so the caller
   * waits for one that begins after it. Frames checkpointed meanwhile are in the
   * database file, which SQLite syncs after a checkpoint.
   */
  private syncLog(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncOnce().finally(() => {
        this.syncing = undefined;
      });
      return this.syncing;
    }
    this.nextSync ??= this.syncing.then(() => {
      this.nextSync = undefined;
      return this.syncLog();
    });
    return this.nextSync;
  }

  private async syncOnce(): Promise<void> {
    this.wal ??= openFile(`${this.client.name}-wal`, 'r');
    try {
      await syncData(await this.wal);
    } catch (err) {
      this.wal = undefined;
      throw new VitrineError('VT_ERR_DATABASE', `Could not sync the write-ahead log of ${this.client.name}`, { cause: err });
    }
  }

  private closeLog(): void {
    const wal = this.wal;
    this.wal = undefined;
    wal?.then((fd) => close(fd, () => {}), () => {});
  }

  /**
   * The statement for `key`, prepared once per connection with {@link prepare}
   * from the SQL text `sql()` gives (for queries written once for both databases).
   */
  cached(key: string, sql: () => string): Database.Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.prepare(sql());
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Prepares a statement that returns plain numbers (Prisma's connection returns BigInts by default). */
  prepare(sql: string): Database.Statement {
    // The class's own prepare: the statement cache wraps the instance's for Prisma.
    const prepare = (Object.getPrototypeOf(this.client) as Database.Database).prepare;
    return prepare.call(this.client, sql).safeIntegers(false);
  }

  /** Makes Prisma's transactions take their turn with the native ones. */
  watch(adapter: Adapter): void {
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (level) => {
      const release = await this.lock.acquire();
      try {
        const tx = await start(level);
        const end = (close: () => Promise<void>) => () => close().finally(release);
        tx.commit = end(tx.commit.bind(tx));
        tx.rollback = end(tx.rollback.bind(tx));
        return tx;
      } catch (err) {
        release();
        throw err;
      }
    };
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = () => {
      this.closeLog();
      return dispose();
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
  connections.set(db, connection);
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
  const known = connections.get(db);
  if (known !== undefined) return known ?? undefined;
  const connection: unknown = (db as { [CONNECTION]?: unknown })[CONNECTION];
  if (connection !== undefined && !(connection instanceof SqliteConnection)) throw new VitrineError('VT_ERR_DATABASE', 'Not a SQLite connection');
  connections.set(db, connection ?? null);
  return connection;
}
