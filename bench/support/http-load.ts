import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

/** One HTTP request to send. */
export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** How to offer closed-loop HTTP load. */
export interface HttpLoadOptions {
  /** Origin only, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Concurrent keep-alive connections, each with one request in flight. */
  connections: number;
  /** Stop after this long… */
  durationSec: number;
  /** …or after this many requests, whichever comes first. */
  maxRequests: number;
  /**
   * Builds each request just before it is sent. `context` belongs to this one
   * request: what is stored in it comes back to `onResponse`.
   */
  next: (context: Record<string, unknown>) => LoadRequest;
  /** Told each response's status, with the request's context (not called for requests that timed out). */
  onResponse?: (status: number, context: Record<string, unknown>) => void;
}

/** What {@link offerHttpLoad} measured. */
export interface HttpLoadResult {
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Seconds from the first request to the end of the run. */
  seconds: number;
  /** `performance.now()` at start and end. */
  startedAt: number;
  endedAt: number;
  /** 2xx responses per second. */
  okPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/**
 * Offers closed-loop load with autocannon: `connections` connections, each sending
 * the next request as soon as the previous response arrived, until the time or
 * the request budget runs out. Only meant for 127.0.0.1.
 *
 * @example
 * ```ts
 * const r = await offerHttpLoad({ url: server.url, connections: 64, durationSec: 5, maxRequests: 1e6,
 *   next: () => ({ method: 'POST', path: '/webhooks/whatsapp', headers: { 'content-type': 'application/json' }, body: '{}' }) });
 * console.log(r.okPerSecond);
 * ```
 */
export async function offerHttpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(options.url)) throw new Error(`load is only offered to 127.0.0.1, not ${options.url}`);
  const startedAt = performance.now();
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSec,
    maxOverallRequests: Math.max(options.maxRequests, options.connections),
    timeout: 10,
    requests: [{
      setupRequest: (request, context) => {
        const next = options.next(context);
        return { ...request, method: next.method, path: next.path, headers: next.headers, ...(next.body !== undefined ? { body: next.body } : {}) };
      },
      onResponse: (status, _body, context) => options.onResponse?.(status, context),
    }],
  });
  const endedAt = performance.now();
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const seconds = result.duration > 0 ? result.duration : (endedAt - startedAt) / 1000;
  return {
    ok: result['2xx'], non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts, statusCodes,
    seconds, startedAt, endedAt, okPerSecond: result['2xx'] / seconds,
    latencyP50Ms: result.latency.p50, latencyP99Ms: result.latency.p99,
  };
}
