import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One message the server sent through the fake Graph API. */
export interface GraphPost {
  /** The `to` of the body: the customer's WhatsApp id. */
  to: string;
  /** `performance.now()` when the request body was read. */
  at: number;
}

/**
 * A local stand-in for the WhatsApp Cloud (Graph) API: accepts every
 * `POST /<version>/<phone-number-id>/messages` with 200 and a message id, and
 * reports each to `onPost`. Other requests get 404 and are counted.
 *
 * @example
 * ```ts
 * const graph = await FakeGraphApi.start((post) => console.log(post.to));
 * // WHATSAPP_GRAPH_URL = `${graph.url}/v21.0`
 * await graph.close();
 * ```
 */
export class FakeGraphApi {
  /** Message POSTs answered. */
  posts = 0;
  /** Requests that were not a message POST, or whose body was not JSON with a `to`. */
  unexpected = 0;

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>` (append the version path, e.g. `/v21.0`). */
    readonly url: string,
  ) {}

  /** Listens on a free port of 127.0.0.1. */
  static async start(onPost: (post: GraphPost) => void): Promise<FakeGraphApi> {
    let graph: FakeGraphApi | undefined;
    const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => graph?.handle(req, res, onPost));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    graph = new FakeGraphApi(server, `http://127.0.0.1:${port}`);
    return graph;
  }

  /** Stops listening and drops open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse, onPost: (post: GraphPost) => void): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const to = req.method === 'POST' && /\/messages$/.test(req.url ?? '') ? recipientOf(Buffer.concat(chunks)) : undefined;
      if (to === undefined) {
        this.unexpected += 1;
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not a message send","code":100}}');
        return;
      }
      this.posts += 1;
      res.writeHead(200, { 'content-type': 'application/json' })
        .end(`{"messaging_product":"whatsapp","contacts":[{"input":"${to}","wa_id":"${to}"}],"messages":[{"id":"wamid.fake.${this.posts}"}]}`);
      onPost({ to, at: performance.now() });
    });
  }
}

function recipientOf(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const to = typeof parsed === 'object' && parsed !== null ? (parsed as { to?: unknown }).to : undefined;
    return typeof to === 'string' && /^[0-9A-Za-z._-]+$/.test(to) ? to : undefined;
  } catch {
    return undefined;
  }
}
