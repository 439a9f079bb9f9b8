import { ServerSlot } from './whatsapp-shopper.ts';

/**
 * Several servers sharing one database, seen by customers as one {@link ServerSlot}: each
 * delivery goes to the next live server, round-robin, so a customer's messages are spread
 * across them and the two copies of a delivery sent at once reach two different servers.
 * A delivery that got no answer is sent again at once to the next live server.
 *
 * @example
 * ```ts
 * const pool = new ServerPool();
 * pool.up(a.url);
 * pool.up(b.url);
 * await runShopper({ from, steps: BUY_BREAD, slot: pool, graph, log, stepTimeoutMs: 60_000 });
 * ```
 */
export class ServerPool extends ServerSlot {
  private readonly live: string[] = [];
  private turn = 0;

  /** Adds a server that answers `GET /health`. */
  override up(url: string): void {
    this.live.push(url);
    super.up(url);
  }

  /** Takes a server out before it is stopped (without `url`: all of them). */
  override down(url?: string): void {
    this.live.splice(0, this.live.length, ...this.live.filter((u) => url !== undefined && u !== url));
    if (this.live.length === 0) super.down();
  }

  /** No single current server: a failed delivery goes to the next one without waiting. */
  override get current(): string | undefined {
    return undefined;
  }

  /** The next live server's URL, round-robin. */
  override whenUp(): Promise<string> {
    const url = this.live[this.turn++ % Math.max(this.live.length, 1)];
    return url ? Promise.resolve(url) : super.whenUp();
  }

  /** The live servers' URLs. */
  get urls(): readonly string[] {
    return this.live;
  }
}
