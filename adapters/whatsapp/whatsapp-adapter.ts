import pino, { type Logger } from 'pino';
import { isVitrineError, parseFailure, VitrineError, type ChannelAdapter, type LoadedBot, type ParseFailure, type ParseResult } from '../../engine/index.ts';
import { botForChannel, httpPostFor, OptionIds, OutboundQueue, withAbsoluteImages, type AttemptOutcome, type HttpAnswer } from '../kit/index.ts';
import { parseWhatsAppWebhook, type ParsedWhatsAppWebhook } from './parse-webhook.ts';
import { isOrderOutbound, renderWhatsApp, WHATSAPP_CAPABILITIES, WHATSAPP_LIMITS, type WhatsAppOrderOutbound, type WhatsAppOutbound } from './render.ts';

/** The country calling code of the customers WhatsApp's order messages reach (Payments API, Brazil). */
const BRAZIL_COUNTRY_CODE = '55';

/** The Graph API error code for "too many messages per second from this number". */
export const WHATSAPP_THROUGHPUT_ERROR = 130429;

/** Options for {@link createWhatsAppAdapter}. */
export interface WhatsAppAdapterOptions {
  /** A system user access token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** The phone number id messages are sent from (unless a bot has its own). */
  phoneNumberId: string;
  /** Graph API base, with version (default `https://graph.facebook.com/v21.0`). */
  graphUrl?: string;
  /** The app secret; the routes check webhook signatures with it. */
  appSecret?: string;
  /** Messages per second per phone number (default 80, the Cloud API default). */
  maxPerSecond?: number;
  /** Sends through this `fetch` instead of the kit's default HTTP client ({@link undiciPost}). */
  fetch?: typeof fetch;
  /** Longest wait for the platform's answer to one request (ms, default 60 000; the outbox keeps its lease meanwhile); then it counts as a failed attempt, which may still have been delivered. */
  requestTimeoutMs?: number;
  logger?: Logger;
  /**
   * The bot answering on a phone number id (default: every number is `defaultBotId`'s).
   * See {@link whatsappRouting}.
   */
  botFor?: (phoneNumberId: string) => string | undefined;
  /** The phone number id a bot sends from (default: `phoneNumberId`). */
  phoneNumberFor?: (botId: string) => string | undefined;
  /**
   * Whether a bot sends WhatsApp's order messages (`order_details`, `order_status`)
   * for its orders in BRL (default: every bot does). See {@link whatsappRouting}.
   */
  orderMessagesFor?: (botId: string) => boolean;
  /** Retry pacing; tests shorten it. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; sleep?: (ms: number) => Promise<void> };
  /** `PUBLIC_URL`: a bot's image files (`/media/…`) are sent as addresses on it, which WhatsApp fetches. */
  publicUrl?: string;
}

/** The WhatsApp channel: {@link ChannelAdapter} plus what only WhatsApp has. */
export interface WhatsAppAdapter extends ChannelAdapter<WhatsAppOutbound> {
  readonly channel: 'whatsapp';
  /** Parses a whole webhook body: messages and delivery statuses. */
  parseWebhook(raw: unknown, context: { botId: string }): { ok: true; value: ParsedWhatsAppWebhook } | ParseFailure;
  /** The phone number id a bot answers from. */
  phoneNumberFor(botId: string): string;
}

/**
 * Which bot answers on which phone number: a bot's `channels.whatsapp.phoneNumberId`
 * in bot.yaml wins; the configured number goes to the bot {@link botForChannel}
 * picks (`defaultBotId`, else the one bot listing `whatsapp` without a number
 * of its own, else the only bot loaded). A bot sends WhatsApp's order messages
 * unless its `channels.whatsapp.orderMessages` is `false`.
 *
 * @example
 * ```ts
 * const adapter = createWhatsAppAdapter({ accessToken, phoneNumberId, ...whatsappRouting(runtime.engine.bots, { phoneNumberId }) });
 * ```
 */
export function whatsappRouting(bots: ReadonlyMap<string, LoadedBot>, options: { phoneNumberId: string; defaultBotId?: string }): Pick<WhatsAppAdapterOptions, 'botFor' | 'phoneNumberFor' | 'orderMessagesFor'> {
  const ownNumber = (bot: LoadedBot): string | undefined => {
    const settings = bot.runtime.channels['whatsapp'];
    const value = settings?.['phoneNumberId'];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  return {
    botFor(phoneNumberId) {
      for (const bot of bots.values()) if (ownNumber(bot) === phoneNumberId) return bot.runtime.id;
      if (phoneNumberId !== options.phoneNumberId) return undefined;
      return botForChannel(bots, 'whatsapp', { ...(options.defaultBotId !== undefined ? { named: options.defaultBotId } : {}), among: (bot) => ownNumber(bot) === undefined });
    },
    phoneNumberFor(botId) {
      const bot = bots.get(botId);
      return (bot && ownNumber(bot)) ?? options.phoneNumberId;
    },
    orderMessagesFor(botId) {
      return bots.get(botId)?.runtime.channels['whatsapp']?.['orderMessages'] !== false;
    },
  };
}

interface GraphError {
  code?: number;
  message?: string;
}

async function graphErrorOf(res: HttpAnswer): Promise<GraphError> {
  try {
    const body: unknown = await res.json();
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    if (typeof error !== 'object' || error === null) return {};
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { ...(typeof code === 'number' ? { code } : {}), ...(typeof message === 'string' ? { message } : {}) };
  } catch {
    return {};
  }
}

function retryAfterMs(res: HttpAnswer): number | undefined {
  const value = Number(res.header('retry-after'));
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

/**
 * The WhatsApp Cloud API channel. Parses webhook bodies, renders within
 * {@link WHATSAPP_CAPABILITIES}, and sends through the Graph API, paced per
 * phone number and retried on 429, 5xx and error 130429.
 *
 * @example
 * ```ts
 * const whatsapp = createWhatsAppAdapter({ accessToken: env.WHATSAPP_ACCESS_TOKEN, phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID });
 * const turn = await engine.process(message);
 * await whatsapp.send(turn, turn.replies.flatMap((r) => whatsapp.render(r, turn)));
 * ```
 */
export function createWhatsAppAdapter(options: WhatsAppAdapterOptions): WhatsAppAdapter {
  const graphUrl = (options.graphUrl ?? 'https://graph.facebook.com/v21.0').replace(/\/+$/, '');
  const post = httpPostFor(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  const ids = new OptionIds({ maxBytes: WHATSAPP_LIMITS.optionIdBytes });
  const queue = new OutboundQueue({ maxPerSecond: options.maxPerSecond ?? 80, ...options.retry });
  const phoneNumberFor = (botId: string): string => options.phoneNumberFor?.(botId) ?? options.phoneNumberId;

  function parseWebhook(raw: unknown, context: { botId: string }) {
    try {
      return parseWhatsAppWebhook(raw, { ids, botFor: options.botFor ?? (() => context.botId) });
    } catch (err) {
      return parseFailure(`unreadable payload: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function sendOne(phoneNumberId: string, to: { botId: string; customerId: string }, message: WhatsAppOutbound): Promise<void> {
    const url = `${graphUrl}/${encodeURIComponent(phoneNumberId)}/messages`;
    const wire = isOrderOutbound(message) ? { type: message.type, interactive: message.interactive } : message;
    const body = JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: to.customerId, ...wire });
    const headers = { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' };
    await queue.run(phoneNumberId, async (attempt): Promise<AttemptOutcome<void>> => {
      const res = await post(url, { headers, body, timeoutMs: options.requestTimeoutMs ?? 60_000 });
      if (res.ok) {
        await res.discard();
        return { kind: 'done', value: undefined };
      }
      const error = await graphErrorOf(res);
      const reason = `HTTP ${res.status}${error.code !== undefined ? ` code ${error.code}` : ''}${error.message ? `: ${error.message}` : ''}`;
      if (res.status === 429 || res.status >= 500 || error.code === WHATSAPP_THROUGHPUT_ERROR) {
        logger.warn({ ...to, phoneNumberId, attempt, status: res.status, code: error.code }, 'WhatsApp send will be retried');
        const after = retryAfterMs(res);
        return { kind: 'retry', reason, ...(after !== undefined ? { afterMs: after } : {}) };
      }
      return {
        kind: 'fail',
        error: new VitrineError('VT_ERR_CHANNEL_SEND', `WhatsApp refused the message: ${reason}`, {
          context: { channel: 'whatsapp', ...to, phoneNumberId, status: res.status, code: error.code, retriable: false },
        }),
      };
    });
  }

  /**
   * An order message, or its fallback when WhatsApp will not show it: to a
   * customer without a Brazilian number (the Payments API is Brazil's), or
   * when the Graph API refuses it for good (a business not enabled for
   * payments, a malformed order). Throttling and outages are retried as any send.
   */
  async function sendOrder(phoneNumberId: string, to: { botId: string; customerId: string }, message: WhatsAppOrderOutbound): Promise<void> {
    if (!to.customerId.startsWith(BRAZIL_COUNTRY_CODE)) {
      for (const other of message.fallback) await sendOne(phoneNumberId, to, other);
      return;
    }
    try {
      await sendOne(phoneNumberId, to, message);
    } catch (err) {
      if (!isVitrineError(err, 'VT_ERR_CHANNEL_SEND') || err.context['retriable'] !== false) throw err;
      logger.warn({ ...to, phoneNumberId, type: message.interactive.type, code: err.context['code'] }, 'WhatsApp refused the order message: sending its fallback');
      for (const other of message.fallback) await sendOne(phoneNumberId, to, other);
    }
  }

  return {
    channel: 'whatsapp',
    capabilities: WHATSAPP_CAPABILITIES,
    parseWebhook,
    parse(raw, context): ParseResult {
      const parsed = parseWebhook(raw, context);
      if (!parsed.ok) return parsed;
      // Nothing usable and something not understood: the payload as a whole is malformed.
      const [first] = parsed.value.rejected;
      if (parsed.value.messages.length === 0 && first) return parseFailure(first.reason, { ...first });
      return { ok: true, messages: parsed.value.messages };
    },
    phoneNumberFor,
    render: (message, context) => renderWhatsApp(withAbsoluteImages(message, options.publicUrl), ids, {
      orderMessages: context.botId !== undefined && (options.orderMessagesFor?.(context.botId) ?? true),
    }),
    async send(to, messages) {
      const phoneNumberId = phoneNumberFor(to.botId);
      // One at a time: a customer reads them in the order they were said.
      for (const message of messages) {
        if (isOrderOutbound(message)) await sendOrder(phoneNumberId, to, message);
        else await sendOne(phoneNumberId, to, message);
      }
    },
  };
}
