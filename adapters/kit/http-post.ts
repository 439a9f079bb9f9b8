import { Agent, request } from 'undici';

/** What a channel reads of a platform's answer to a POST. */
export interface HttpAnswer {
  readonly status: number;
  /** A 2xx status. */
  readonly ok: boolean;
  /** A response header, by lower-case name. */
  header(name: string): string | undefined;
  /** The body parsed as JSON; throws when it is not JSON. */
  json(): Promise<unknown>;
  /** Reads the body to its end and drops it, so the connection can serve the next request. */
  discard(): Promise<void>;
}

/** One POST of a JSON (or other text) body. */
export interface HttpPostRequest {
  headers: Record<string, string>;
  body: string;
  /** Longest wait for the answer's headers, and then between parts of its body (ms). */
  timeoutMs: number;
}

/** Sends a POST and gives the answer; network failures and time-outs throw. */
export type HttpPost = (url: string, request: HttpPostRequest) => Promise<HttpAnswer>;

/**
 * The POST channels send with by default: undici's `request` over a pool of
 * kept-alive connections of its own. It costs a fraction of the CPU of the
 * global `fetch`, which wraps the same client in web streams, abort signals
 * and `Response` objects on every call, and a busy server sends a request per
 * reply.
 *
 * @example
 * ```ts
 * const post = undiciPost();
 * const answer = await post('https://graph.facebook.com/v21.0/123/messages', { headers, body, timeoutMs: 60_000 });
 * if (!answer.ok) console.log(answer.status, await answer.json());
 * else await answer.discard();
 * ```
 */
export function undiciPost(): HttpPost {
  let dispatcher: Agent | undefined;
  return async (url, { headers, body, timeoutMs }) => {
    dispatcher ??= new Agent();
    const res = await request(url, { method: 'POST', headers, body, dispatcher, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    return {
      status: res.statusCode,
      ok: res.statusCode >= 200 && res.statusCode < 300,
      header(name) {
        const value = res.headers[name];
        return Array.isArray(value) ? value[0] : value;
      },
      json: () => res.body.json(),
      discard: () => res.body.dump(),
    };
  };
}

/**
 * A {@link HttpPost} over a `fetch` function: for a channel given one
 * (a test's, or a proxy-aware one).
 *
 * @example
 * ```ts
 * const whatsapp = createWhatsAppAdapter({ accessToken, phoneNumberId, fetch: myFetch }); // uses fetchPost(myFetch)
 * ```
 */
export function fetchPost(fetchImpl: typeof fetch): HttpPost {
  return async (url, { headers, body, timeoutMs }) => {
    const res = await fetchImpl(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return {
      status: res.status,
      ok: res.ok,
      header: (name) => res.headers.get(name) ?? undefined,
      json: () => res.json() as Promise<unknown>,
      discard: async () => void (await res.arrayBuffer()),
    };
  };
}

/**
 * The POST of a channel's options: over the `fetch` it was given, else {@link undiciPost}.
 *
 * @example
 * ```ts
 * const post = httpPostFor(options);
 * ```
 */
export function httpPostFor(options: { fetch?: typeof fetch | undefined }): HttpPost {
  return options.fetch ? fetchPost(options.fetch) : undiciPost();
}
