import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { RouteRuntime } from '../kit/index.ts';
import type { FrameVerdict, HeldBudget, SharedFrameBudgets, WebchatLimits } from './frame-budget.ts';
import type { WebchatAdapter, WebchatMessageFrame } from './webchat-adapter.ts';
import {
  closeReason, parseClientFrame, WEBCHAT_MAX_FRAME_BYTES, WEBCHAT_PROTOCOL_VERSION,
  type WebchatClientFrame, type WebchatErrorCode, type WebchatFrame, type WebchatHistoryEntry,
} from './webchat-protocol.ts';
import { recentHistory } from '../../engine/index.ts';

/** Who a connection talks for, once it said hello. */
export interface WebchatSession {
  botId: string;
  customerId: string;
  locale?: string;
}

/** What a {@link WebchatConnection} works with. */
export interface WebchatConnectionOptions {
  runtime: RouteRuntime;
  adapter: WebchatAdapter;
  socket: WebSocket;
  limits: WebchatLimits;
  log: FastifyBaseLogger;
  /** The budgets shared by the sockets of one customer and of one address. */
  budgets: SharedFrameBudgets;
  /** The client's address (behind a trusted proxy, the forwarded one). */
  address: string;
}

/** The stricter of two verdicts. */
const stricter = (a: FrameVerdict, b: FrameVerdict): FrameVerdict => (a === 'close' || b === 'close' ? 'close' : a === 'refuse' || b === 'refuse' ? 'refuse' : 'accept');

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
}

/**
 * One open web chat socket: its session (after `hello`, which must come within
 * `limits.helloMs`), the frame budgets it shares with the other sockets of its
 * customer and of its address, its idle timer, and the chain that handles its frames one at a time in arrival
 * order. Each `text`/`choice` frame is admitted to the engine's journal and
 * acknowledged (`ack`) once on disk; the replies arrive through the outbox.
 *
 * @example
 * ```ts
 * const budgets = new SharedFrameBudgets();
 * app.get('/ws', { websocket: true }, (socket, request) => {
 *   new WebchatConnection({ runtime, adapter, socket, limits: DEFAULT_WEBCHAT_LIMITS, log: request.log, budgets, address: request.ip });
 * });
 * ```
 */
export class WebchatConnection {
  private session: WebchatSession | undefined;
  private disconnect: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private readonly addressBudget: HeldBudget;
  private customerBudget: HeldBudget | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly helloTimer: NodeJS.Timeout;

  constructor(private readonly options: WebchatConnectionOptions) {
    const { socket, log, limits } = options;
    this.addressBudget = options.budgets.hold(`address:${options.address}`, { capacity: limits.addressCapacity, refillMs: limits.addressRefillMs, maxStrikes: limits.maxStrikes });
    this.touch();
    // A socket that never says who it is does not keep its place.
    this.helloTimer = setTimeout(() => socket.close(1008, closeReason('VT_ERR_CHANNEL_HELLO_REQUIRED', 'No hello in time')), options.limits.helloMs);
    this.helloTimer.unref();
    socket.on('message', (data: RawData, isBinary: boolean) => this.receive(data, isBinary));
    socket.on('close', () => {
      clearTimeout(this.idleTimer);
      clearTimeout(this.helloTimer);
      this.addressBudget.release();
      this.customerBudget?.release();
      this.disconnect?.();
    });
    socket.on('error', (err) => log.warn({ err }, 'web chat socket error'));
  }

  /** Restarts the idle timer. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.options.socket.close(1000, closeReason('VT_ERR_CHANNEL_IDLE', 'Idle')), this.options.limits.idleMs);
    this.idleTimer.unref();
  }

  private send(frame: WebchatFrame): void {
    const { socket } = this.options;
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  }

  private fail(code: WebchatErrorCode, message: string, id?: string): void {
    this.send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'error', code, message, ...(id ? { id } : {}) });
  }

  private receive(data: RawData, isBinary: boolean): void {
    this.touch();
    try {
      if (rawSize(data) > WEBCHAT_MAX_FRAME_BYTES) {
        this.options.socket.close(1009, closeReason('VT_ERR_CHANNEL_FRAME_TOO_LARGE', `Frame too large (max ${WEBCHAT_MAX_FRAME_BYTES} bytes)`));
        return;
      }
      // Every socket of the address, and once greeted every socket of the customer, spends from one budget.
      const fromAddress = this.addressBudget.budget.take();
      const verdict = stricter(fromAddress, this.customerBudget?.budget.take() ?? 'accept');
      if (verdict === 'close') this.options.socket.close(1008, closeReason('VT_ERR_CHANNEL_RATE_LIMITED', 'Too many messages'));
      if (verdict === 'refuse') this.fail('VT_ERR_CHANNEL_RATE_LIMITED', 'Too many messages; slow down');
      if (verdict !== 'accept') return;
      if (isBinary) {
        this.fail('VT_ERR_CHANNEL_PAYLOAD', 'Frames must be text (JSON)');
        return;
      }
      const text = rawText(data);
      this.chain = this.chain.then(() => this.handle(text)).catch((err: unknown) => this.options.log.error({ err }, 'web chat frame failed'));
    } catch (err) {
      this.options.log.error({ err }, 'web chat frame failed');
    }
  }

  private async handle(text: string): Promise<void> {
    const result = parseClientFrame(text);
    if (!result.ok) return this.fail(result.code, result.message, result.id);
    const frame = result.frame;
    if (frame.type === 'hello') return this.hello(frame);
    if (!this.session) return this.fail('VT_ERR_CHANNEL_HELLO_REQUIRED', 'Send a hello frame first', frame.id);
    return this.message(this.session, frame);
  }

  private async hello(frame: Extract<WebchatClientFrame, { type: 'hello' }>): Promise<void> {
    const { runtime, adapter, socket, log } = this.options;
    if (this.session) return this.fail('VT_ERR_CHANNEL_ALREADY_GREETED', 'This connection already said hello');
    const bot = runtime.engine.bots.get(frame.botId);
    if (!bot) return this.fail('VT_ERR_BOT_UNKNOWN', `No bot "${frame.botId}" here`);
    const session: WebchatSession = { botId: frame.botId, customerId: frame.customerId ?? randomUUID(), ...(frame.locale ? { locale: frame.locale } : {}) };
    this.session = session;
    clearTimeout(this.helloTimer);
    this.customerBudget = this.options.budgets.hold(`customer:${session.botId}\u0000${session.customerId}`, this.options.limits);
    this.send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'welcome', customerId: session.customerId, botId: session.botId, locales: bot.runtime.locales });
    // The page shows the recent conversation before anything new arrives on the socket.
    if (frame.customerId) {
      this.send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'history', entries: await this.history(session) });
      // And where that conversation is: the shop it is at heads the page.
      const place = await adapter.place(session);
      if (place) this.send(place);
    }
    if (socket.readyState !== socket.OPEN) return;
    this.disconnect = adapter.connect(session, socket);
    if (frame.customerId) {
      // Replies kept while the customer was away (a receipt) leave now, from the outbox.
      const woken = await runtime.engine.outbox.welcomeBack({ botId: session.botId, channel: adapter.channel, customerId: session.customerId });
      if (woken > 0) log.info({ botId: session.botId, woken }, 'kept replies sent on reconnect');
    }
  }

  /** The customer's recent conversation as the page shows it (empty when it cannot be read: the chat goes on). */
  private async history(session: WebchatSession): Promise<WebchatHistoryEntry[]> {
    const { runtime, adapter, log } = this.options;
    try {
      const entries = await recentHistory(runtime.db, { botId: session.botId, channel: adapter.channel, customerId: session.customerId });
      return entries.flatMap((entry): WebchatHistoryEntry[] => entry.from === 'customer'
        ? [entry]
        : adapter.render(entry.message, { locale: entry.locale }).flatMap((f) => (f.type === 'message' ? [{ from: 'bot' as const, message: f.message }] : [])));
    } catch (err) {
      log.warn({ err, botId: session.botId }, 'web chat history could not be read');
      return [];
    }
  }

  private async message(session: WebchatSession, frame: WebchatMessageFrame): Promise<void> {
    const { runtime, adapter, log } = this.options;
    // The frame was read once, in handle(); the adapter only makes it a message.
    const message = adapter.inbound(session, frame, { botId: session.botId });
    try {
      // Kept on disk first; the replies come through the outbox to this socket.
      const [admission] = await runtime.engine.admit([message]);
      this.send({ v: WEBCHAT_PROTOCOL_VERSION, type: 'ack', id: frame.id, duplicate: admission?.duplicate ?? false });
    } catch (err) {
      log.error({ err, botId: session.botId }, 'web chat message could not be kept');
      this.fail('VT_ERR_JOURNAL_UNAVAILABLE', 'Your message could not be kept; please send it again', frame.id);
    }
  }
}
