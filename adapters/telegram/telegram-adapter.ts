import pino, { type Logger } from 'pino';
import { parseFailure, VitrineError, type ChannelAdapter, type ParseFailure, type ParseResult } from '../../engine/index.ts';
import { httpPostFor, OptionIds, OutboundQueue, withAbsoluteImages, type AttemptOutcome, type HttpAnswer } from '../kit/index.ts';
import { parseTelegramUpdate, type ParsedTelegramUpdate } from './parse-update.ts';
import { renderTelegram, TELEGRAM_CAPABILITIES, TELEGRAM_LIMITS, type TelegramOutbound } from './render.ts';

/** Options for {@link createTelegramAdapter}. */
export interface TelegramAdapterOptions {
  /** The bot token from @BotFather. */
  token: string;
  /** Bot API base (default `https://api.telegram.org`). */
  apiUrl?: string;
  /** Sends through this `fetch` instead of the kit's default HTTP client ({@link undiciPost}). */
  fetch?: typeof fetch;
  /** Longest wait for the platform's answer to one request (ms, default 60 000; the outbox keeps its lease meanwhile); then it counts as a failed attempt, which may still have been delivered. */
  requestTimeoutMs?: number;
  logger?: Logger;
  /** Calls per second (default 30, Telegram's broadcast guidance). */
  maxPerSecond?: number;
  /** Long option ids remembered for `callback_data` (default 10 000). */
  optionTokens?: number;
  /** Retry pacing; tests shorten it. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; sleep?: (ms: number) => Promise<void> };
  /** `PUBLIC_URL`: a bot's image files (`/media/…`) are sent as addresses on it, which Telegram fetches. */
  publicUrl?: string;
}

/** The Telegram channel: {@link ChannelAdapter} plus callback query answers. */
export interface TelegramAdapter extends ChannelAdapter<TelegramOutbound> {
  readonly channel: 'telegram';
  /** Parses an `Update`, keeping the callback query id to answer. */
  parseUpdate(raw: unknown, context: { botId: string }): { ok: true; value: ParsedTelegramUpdate } | ParseFailure;
  /** Stops the client's spinner on a tapped button (`answerCallbackQuery`). */
  answerCallbackQuery(callbackQueryId: string): Promise<void>;
}

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  parameters?: { retry_after?: number };
}

async function answerOf(res: HttpAnswer): Promise<BotApiAnswer> {
  try {
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null ? (body as BotApiAnswer) : {};
  } catch {
    return {};
  }
}

/**
 * The Telegram Bot API channel: parses webhook updates, renders within
 * {@link TELEGRAM_CAPABILITIES} and calls `sendMessage`/`sendPhoto`, retrying
 * 429 (after `retry_after`) and 5xx answers.
 *
 * Option ids longer than `callback_data`'s 64 bytes are sent as short tokens
 * remembered in memory (bounded); after a restart a forgotten token still
 * carries the option's position, read as the customer typing that number.
 *
 * @example
 * ```ts
 * const telegram = createTelegramAdapter({ token: env.TELEGRAM_BOT_TOKEN });
 * await telegram.send({ botId: 'directory', customerId: '123456' }, telegram.render({ kind: 'text', text: 'Hi' }, { locale: 'en' }));
 * ```
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const apiUrl = (options.apiUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const post = httpPostFor(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  const ids = new OptionIds({ maxBytes: TELEGRAM_LIMITS.callbackDataBytes, capacity: options.optionTokens ?? 10_000 });
  const queue = new OutboundQueue({ maxPerSecond: options.maxPerSecond ?? 30, ...options.retry });

  async function call(method: string, body: Record<string, unknown>, context: Record<string, unknown>): Promise<void> {
    // The token is part of the path: never log the URL.
    const url = `${apiUrl}/bot${options.token}/${method}`;
    await queue.run('telegram', async (attempt): Promise<AttemptOutcome<void>> => {
      const res = await post(url, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs: options.requestTimeoutMs ?? 60_000 });
      const answer = await answerOf(res);
      if (res.ok && answer.ok !== false) return { kind: 'done', value: undefined };
      const reason = `HTTP ${res.status}${answer.description ? `: ${answer.description}` : ''}`;
      if (res.status === 429 || res.status >= 500) {
        logger.warn({ ...context, method, attempt, status: res.status }, 'Telegram call will be retried');
        const after = answer.parameters?.retry_after;
        return { kind: 'retry', reason, ...(typeof after === 'number' ? { afterMs: after * 1000 } : {}) };
      }
      return { kind: 'fail', error: new VitrineError('VT_ERR_CHANNEL_SEND', `Telegram refused ${method}: ${reason}`, { context: { channel: 'telegram', ...context, method, status: res.status, retriable: false } }) };
    });
  }

  function parseUpdate(raw: unknown, context: { botId: string }) {
    try {
      return parseTelegramUpdate(raw, { botId: context.botId, ids });
    } catch (err) {
      return parseFailure(`unreadable update: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return {
    channel: 'telegram',
    capabilities: TELEGRAM_CAPABILITIES,
    parseUpdate,
    parse(raw, context): ParseResult {
      const parsed = parseUpdate(raw, context);
      return parsed.ok ? { ok: true, messages: parsed.value.messages } : parsed;
    },
    render: (message) => renderTelegram(withAbsoluteImages(message, options.publicUrl), ids),
    async send(to, messages) {
      for (const { method, ...rest } of messages) await call(method, { chat_id: to.customerId, ...rest }, { ...to });
    },
    answerCallbackQuery: (callbackQueryId) => call('answerCallbackQuery', { callback_query_id: callbackQueryId }, { callbackQueryId }),
  };
}
