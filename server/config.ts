import { z } from 'zod';
import { VitrineError } from '../engine/index.ts';

/** Server settings, read from the environment by {@link loadServerConfig}. */
export interface ServerConfig {
  /** `PORT` (default 3000; 0 picks a free port). */
  port: number;
  /**
   * `HOST` (default 127.0.0.1: only this machine can connect). Set `0.0.0.0`
   * in a container or behind a reverse proxy so the server is reachable.
   */
  host: string;
  /** `DATABASE_URL` (default `file:./data/vitrine.db`). */
  databaseUrl: string;
  /** `LOG_LEVEL`: fatal, error, warn, info (default), debug, trace or silent. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `PUBLIC_URL`: where customers reach the server (default `http://localhost:<PORT>`). */
  publicUrl: string;
  /**
   * `ADMIN_TOKEN` (optional, at least 24 characters): a bearer token allowed
   * to call admin endpoints such as reloading any bot. Unset: a bot can be
   * reloaded only with the key of its only business (a single-shop bot).
   */
  adminToken?: string;
  /** `OUTBOX_RETRY_MS`: the first retry delay of a reply a channel did not take (default 1000), doubled per attempt. */
  outboxRetryMs: number;
  /** `OUTBOX_MAX_ATTEMPTS`: attempts before a reply becomes a dead letter (default 8). */
  outboxMaxAttempts: number;
  /**
   * `TRUST_PROXY`: which proxies may tell the client's address in
   * `X-Forwarded-For` (Fastify's `trustProxy`). Unset or `false`: none (the
   * socket's address counts); `true`: any; a number: that many hops; else a
   * comma-separated list of addresses or CIDR ranges (`127.0.0.1,10.0.0.0/8`).
   */
  trustProxy: boolean | number | string;
  /**
   * `HTTP_CONNECTION_TIMEOUT_MS` (default 60000): a connection silent this long
   * is closed (Fastify's `connectionTimeout`; a WebSocket, once open, has its own idle time).
   */
  connectionTimeoutMs: number;
  /** `HTTP_REQUEST_TIMEOUT_MS` (default 30000): the longest a client may take to send a whole request (Fastify's `requestTimeout`). */
  requestTimeoutMs: number;
  /** Business API requests allowed per time window: `API_RATE_LIMIT_PER_KEY` (default 120) and `API_RATE_LIMIT_PER_ADDRESS` (default 300, wrong keys included). */
  apiRateLimit: { perKey: number; perAddress: number; windowMs: number };
}

const schema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 to 65535').max(65535, 'must be 0 to 65535').default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, 'must start with file: or postgresql://').default('file:./data/vitrine.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://shop.example.com' }).optional(),
  ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  OUTBOX_RETRY_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(1000),
  TRUST_PROXY: z.string().regex(/^(true|false|\d+|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, 'must be true, false, a number of hops or a comma-separated list of addresses or CIDR ranges').optional(),
  API_RATE_LIMIT_PER_KEY: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(120),
  API_RATE_LIMIT_PER_ADDRESS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').default(300),
  API_RATE_LIMIT_WINDOW_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be at least 100').default(60_000),
  HTTP_CONNECTION_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be at least 100').default(60_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be at least 100').default(30_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(8),
});

/**
 * Reads and checks the server settings. Empty variables count as unset.
 * Throws a `VT_ERR_CONFIG_INVALID` {@link VitrineError} naming every bad variable.
 *
 * @example
 * ```ts
 * const config = loadServerConfig(process.env);
 * // { port: 3000, host: '127.0.0.1', databaseUrl: 'file:./data/vitrine.db', logLevel: 'info', publicUrl: 'http://localhost:3000' }
 * ```
 */
export function loadServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key in schema.shape && value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new VitrineError('VT_ERR_CONFIG_INVALID', `Invalid server settings:\n  ${lines.join('\n  ')}`, { context: { variables: parsed.error.issues.map((i) => i.path[0]) } });
  }
  const v = parsed.data;
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    logLevel: v.LOG_LEVEL,
    publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    ...(v.ADMIN_TOKEN ? { adminToken: v.ADMIN_TOKEN } : {}),
    outboxRetryMs: v.OUTBOX_RETRY_MS,
    outboxMaxAttempts: v.OUTBOX_MAX_ATTEMPTS,
    trustProxy: trustProxy(v.TRUST_PROXY),
    connectionTimeoutMs: v.HTTP_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: v.HTTP_REQUEST_TIMEOUT_MS,
    apiRateLimit: { perKey: v.API_RATE_LIMIT_PER_KEY, perAddress: v.API_RATE_LIMIT_PER_ADDRESS, windowMs: v.API_RATE_LIMIT_WINDOW_MS },
  };
}

/** `TRUST_PROXY` as Fastify's `trustProxy` option. */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw.replace(/\s+/g, '');
}
