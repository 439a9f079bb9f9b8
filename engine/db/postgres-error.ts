import { VitrineError } from '../errors.ts';
import type { PostgresConfig } from './database-url.ts';

/** `pg` reports a refused `localhost` (IPv6 and IPv4 both tried) as an AggregateError without a message. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const inner = err instanceof AggregateError ? err.errors.find((e): e is Error => e instanceof Error) : undefined;
  const message = err.message || inner?.message || err.name;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}

/**
 * A `VT_ERR_DATABASE` error for a PostgreSQL failure, naming the server (password hidden)
 * and the driver's reason.
 *
 * @example
 * ```ts
 * throw postgresError('Could not connect to', config, err);
 * // VitrineError: Could not connect to PostgreSQL at postgresql://app:***@db:5432/shop: connect ECONNREFUSED 10.0.0.5:5432
 * ```
 */
export function postgresError(what: string, config: PostgresConfig, err: unknown): VitrineError {
  return new VitrineError('VT_ERR_DATABASE', `${what} PostgreSQL at ${config.display}: ${reason(err)}`, { cause: err, context: { url: config.display } });
}
