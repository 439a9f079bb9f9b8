import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';

/** The part of a better-sqlite3 statement the Prisma driver adapter uses. */
interface Statement {
  readonly reader: boolean;
  columns(): unknown[];
  raw(toggle?: boolean): Statement;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
  bind(...params: unknown[]): Statement;
}

interface SqliteClient {
  prepare(sql: string): Statement;
}

/** How many distinct statements are kept prepared per connection. */
const CAPACITY = 500;

/**
 * Keeps the driver's SQLite statements prepared. Prisma's better-sqlite3
 * adapter prepares every query again (`client.prepare(sql).bind(args)`),
 * which a profile of a busy server shows as ~7% of its CPU. This wraps the
 * connection it opens so that each distinct SQL text is prepared once and
 * bound per call; a statement object is used by one call at a time since
 * better-sqlite3 runs synchronously.
 *
 * @example
 * ```ts
 * const db = new PrismaClient({ adapter: withStatementCache(new PrismaBetterSqlite3({ url })) });
 * ```
 */
export function withStatementCache(factory: PrismaBetterSqlite3): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const client = (adapter as unknown as { client?: SqliteClient }).client;
    if (client && typeof client.prepare === 'function') cache(client);
    return adapter;
  };
  return factory;
}

function cache(client: SqliteClient): void {
  const prepare = client.prepare.bind(client);
  const prepared = new Map<string, Statement>();
  client.prepare = (sql: string): Statement => {
    let statement = prepared.get(sql);
    if (statement) {
      // Most recently used last, so the oldest goes first when full.
      prepared.delete(sql);
    } else {
      statement = prepare(sql);
      if (prepared.size >= CAPACITY) {
        const oldest = prepared.keys().next().value;
        if (oldest !== undefined) prepared.delete(oldest);
      }
    }
    prepared.set(sql, statement);
    return bindable(statement);
  };
}

/** A statement whose `bind(args)` can be called on every use (better-sqlite3 allows it once). */
function bindable(statement: Statement): Statement {
  const bound = (args: unknown[]): Statement => ({
    reader: statement.reader,
    columns: () => statement.columns(),
    raw: () => ({ ...bound(args), all: () => statement.raw(true).all(...args) }),
    all: () => statement.raw(false).all(...args),
    run: () => statement.run(...args),
    bind: () => bound(args),
  });
  return { ...statement, reader: statement.reader, columns: () => statement.columns(), raw: (t) => statement.raw(t), all: (...p) => statement.all(...p), run: (...p) => statement.run(...p), bind: (...params) => bound(params.length === 1 && Array.isArray(params[0]) ? params[0] : params) };
}
