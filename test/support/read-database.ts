import Database from 'better-sqlite3';

/**
 * Runs one query on a server's SQLite file (`file:<absolute path>`), opened read-only for the query
 * only (the server may be running, or killed).
 *
 * @example
 * ```ts
 * const rows = queryDatabase<{ status: string }>(databaseUrl, 'SELECT status FROM OutboxMessage WHERE customerId = ?', '5511…');
 * ```
 */
export function queryDatabase<T>(databaseUrl: string, sql: string, ...params: (string | number)[]): T[] {
  const db = new Database(databaseUrl.replace(/^file:/, ''), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** What `GET /ready` reports. */
export interface Backlog {
  journal: number;
  outbox: number;
  deadLetters: number;
  failedEvents: number;
}

/** The backlog a running server reports on `GET /ready`. */
export async function readyBacklog(url: string): Promise<Backlog> {
  const res = await fetch(`${url}/ready`);
  const body = (await res.json()) as { status: string; backlog: Backlog };
  if (res.status !== 200) throw new Error(`GET /ready answered ${res.status}: ${JSON.stringify(body)}`);
  return body.backlog;
}

/**
 * Resolves once the server has no journal event and no reply waiting
 * (another process: its `/ready` is polled); rejects after `timeoutMs`.
 */
export async function settled(url: string, timeoutMs: number): Promise<Backlog> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const backlog = await readyBacklog(url);
    if (backlog.journal === 0 && backlog.outbox === 0) return backlog;
    if (Date.now() > deadline) throw new Error(`still busy after ${timeoutMs} ms: ${JSON.stringify(backlog)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
