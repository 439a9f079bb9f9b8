import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/** A customer message waiting for its replies. */
export interface PendingTurn {
  id: string;
  /** When the message was due (open-loop schedule), `performance.now()` ms. */
  scheduledAt: number;
  sentAt: number;
  /** Reply frames this message produces (measured by calibration). */
  expected: number;
  received: number;
  /** When the first reply frame arrived. */
  firstAt?: number;
  /** Set when the server answered with an `error` frame naming this message. */
  error?: string;
}

/** Told about every turn of every socket. */
export interface TurnListener {
  firstReply?(turn: PendingTurn): void;
  done?(turn: PendingTurn): void;
  /** An `error` frame: with the turn it names, when known. */
  error?(code: string, turn?: PendingTurn): void;
  /** A `message` frame while no message was waiting for replies. */
  stray?(): void;
}

/**
 * A source address of 127.0.0.0/8 for socket number `index` when at most
 * `perAddress` sockets share one: the server sees distinct client addresses,
 * as it would see distinct customers, so its per-address connection cap is not
 * what gets measured. The destination is always 127.0.0.1.
 *
 * @example
 * ```ts
 * localAddressFor(0, 40);  // '127.0.1.2'
 * localAddressFor(40, 40); // '127.0.1.3'
 * ```
 */
export function localAddressFor(index: number, perAddress: number): string {
  const k = Math.floor(index / perAddress);
  return `127.0.${1 + Math.floor(k / 250)}.${2 + (k % 250)}`;
}

/**
 * One customer's web chat connection speaking the protocol of
 * `docs/webchat-protocol.md`: `hello`, then `text` frames. Messages are
 * answered in order on a connection, so reply frames are matched to the oldest
 * waiting message; how many frames a message produces is given per message.
 *
 * @example
 * ```ts
 * const socket = await ChatSocket.open('ws://127.0.0.1:3000/ws', '127.0.1.2', listener);
 * await socket.hello('directory', 'bench-customer-0001');
 * await socket.sendAndWait('oi', 2, 10_000);
 * socket.close();
 * ```
 */
export class ChatSocket {
  private readonly waiting: PendingTurn[] = [];
  private welcomed?: () => void;
  private seq = 0;
  /** Every `message` frame received. */
  frames = 0;
  closedWith?: { code: number; reason: string };

  private constructor(private readonly ws: WebSocket, private readonly listener: TurnListener) {
    ws.on('message', (data) => this.onFrame(String(data)));
    ws.on('close', (code, reason) => { this.closedWith = { code, reason: reason.toString() }; });
    ws.on('error', () => undefined);
  }

  /** Connects from `localAddress` (a 127.x.y.z address) to a `ws://127.0.0.1:<port>/ws` URL. */
  static async open(url: string, localAddress: string, listener: TurnListener = {}, timeoutMs = 10_000): Promise<ChatSocket> {
    if (!url.startsWith('ws://127.0.0.1:')) throw new Error(`web chat load only goes to 127.0.0.1, not ${url}`);
    const ws = new WebSocket(url, { localAddress, handshakeTimeout: timeoutMs, perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode} instead of a WebSocket`)));
    });
    return new ChatSocket(ws, listener);
  }

  /** Messages sent and not yet fully answered. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Says hello as `customerId` and waits for the welcome. */
  async hello(botId: string, customerId: string, timeoutMs = 10_000): Promise<void> {
    const welcomed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no welcome within ${timeoutMs} ms${this.closedWith ? ` (closed ${this.closedWith.code} ${this.closedWith.reason})` : ''}`)), timeoutMs);
      this.welcomed = () => { clearTimeout(timer); resolve(); };
    });
    this.ws.send(JSON.stringify({ v: 1, type: 'hello', botId, customerId }));
    await welcomed;
  }

  /** Sends a text that will produce `expected` reply frames; `scheduledAt` defaults to now. */
  send(text: string, expected: number, scheduledAt = performance.now()): PendingTurn {
    const turn: PendingTurn = { id: `b${++this.seq}`, scheduledAt, sentAt: performance.now(), expected: Math.max(1, expected), received: 0 };
    this.waiting.push(turn);
    this.ws.send(JSON.stringify({ v: 1, type: 'text', id: turn.id, text }));
    return turn;
  }

  /** Sends a text and resolves when its `expected` frames arrived (rejects after `timeoutMs`). */
  async sendAndWait(text: string, expected: number, timeoutMs: number): Promise<PendingTurn> {
    const turn = this.send(text, expected);
    const deadline = performance.now() + timeoutMs;
    while (this.waiting.includes(turn)) {
      if (this.closedWith) throw new Error(`socket closed (${this.closedWith.code} ${this.closedWith.reason})`);
      if (performance.now() > deadline) throw new Error(`${turn.received}/${turn.expected} reply frames within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return turn;
  }

  /**
   * Sends a text and counts the `message` frames that arrive until none came for
   * `quietMs` (at most `maxMs`). For calibration, on an otherwise idle server.
   */
  async countReplies(text: string, quietMs: number, maxMs: number): Promise<number> {
    const before = this.frames;
    this.ws.send(JSON.stringify({ v: 1, type: 'text', id: `c${++this.seq}`, text }));
    const started = performance.now();
    let lastCount = before;
    let lastChange = started;
    while (performance.now() - started < maxMs) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (this.frames !== lastCount) {
        lastCount = this.frames;
        lastChange = performance.now();
      } else if (lastCount > before && performance.now() - lastChange >= quietMs) break;
    }
    return this.frames - before;
  }

  close(): void {
    this.ws.close(1000, 'bench done');
  }

  /** Closes without the closing handshake. */
  terminate(): void {
    this.ws.terminate();
  }

  private onFrame(text: string): void {
    let frame: { type?: unknown; id?: unknown; code?: unknown };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      return;
    }
    if (frame.type === 'welcome') this.welcomed?.();
    else if (frame.type === 'message') this.onMessage();
    else if (frame.type === 'error') this.onError(String(frame.code), typeof frame.id === 'string' ? frame.id : undefined);
  }

  private onMessage(): void {
    this.frames += 1;
    const turn = this.waiting[0];
    if (!turn) {
      this.listener.stray?.();
      return;
    }
    turn.received += 1;
    if (turn.received === 1) {
      turn.firstAt = performance.now();
      this.listener.firstReply?.(turn);
    }
    if (turn.received >= turn.expected) {
      this.waiting.shift();
      this.listener.done?.(turn);
    }
  }

  private onError(code: string, id: string | undefined): void {
    const index = id === undefined ? -1 : this.waiting.findIndex((t) => t.id === id);
    const turn = index >= 0 ? this.waiting.splice(index, 1)[0] : undefined;
    if (turn) turn.error = code;
    this.listener.error?.(code, turn);
  }
}
