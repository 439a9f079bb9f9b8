import { parseFailure, VitrineError, type ChannelAdapter, type ChannelCapabilities, type InboundMessage, type ParseResult } from 'vitrine';
import { admitThroughEngine, botForChannel, defineChannel, jsonBodyParser, safeEqual, splitText, textOf } from 'vitrine/kit';

/** What the SMS gateway posts for each text a customer sends. */
export interface SmsWebhook {
  /** The gateway's id of the text: the deduplication key. */
  id: string;
  /** The customer's phone number, E.164. */
  from: string;
  body: string;
}

/** SMS shows text only, 160 characters a segment; choices become numbered lines. */
export const SMS_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonTitle: 0,
  maxListRows: 0,
  maxListRowTitle: 0,
  maxTextLength: 160,
  numberedFallback: true,
  images: false,
  kinds: [],
};

/**
 * An SMS adapter: parses the gateway's webhook, renders every reply as
 * segments of at most 160 characters, and sends them with the function given.
 *
 * @example
 * ```ts
 * const sms = createSmsAdapter({ send: async (to, text) => gateway.send(to, text) });
 * ```
 */
export function createSmsAdapter(options: { send(to: string, text: string): Promise<void> }): ChannelAdapter<string> {
  return {
    channel: 'sms',
    capabilities: SMS_CAPABILITIES,
    parse(raw, { botId }): ParseResult {
      const hook = raw as Partial<SmsWebhook> | null;
      if (!hook || typeof hook.id !== 'string' || typeof hook.from !== 'string' || typeof hook.body !== 'string' || !/^\+\d{8,15}$/.test(hook.from)) {
        return parseFailure('expected { id, from: "+<E.164>", body } strings');
      }
      const message: InboundMessage = { kind: 'text', text: hook.body, messageId: hook.id, channel: 'sms', botId, customer: { id: hook.from } };
      return { ok: true, messages: [message] };
    },
    render: (message) => splitText(textOf(message), SMS_CAPABILITIES.maxTextLength),
    async send(to, segments) {
      for (const text of segments) await options.send(to.customerId, text);
    },
  };
}

/** What the SMS channel reads from its environment. */
export interface SmsSettings {
  /** Where texts are sent: the gateway's `POST` endpoint taking `{ to, text }`. */
  gatewayUrl: string;
  /** The token the gateway sends in `X-Sms-Token` with each webhook. */
  webhookToken: string;
  /** The bot customers text with. */
  botId: string;
}

/** Sends one text through the gateway; a refusal is a `VT_ERR_CHANNEL_SEND` the outbox retries. */
async function sendThroughGateway(gatewayUrl: string, to: string, text: string): Promise<void> {
  const res = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, text }) });
  if (!res.ok) throw new VitrineError('VT_ERR_CHANNEL_SEND', `The SMS gateway answered ${res.status}`, { context: { status: res.status } });
}

/**
 * The SMS channel, as every channel of Vitrine is described: on when
 * `SMS_GATEWAY_URL` and `SMS_WEBHOOK_TOKEN` are set; `POST /webhooks/sms`
 * keeps each text in the engine's journal and answers 200; replies leave
 * through the outbox and the gateway. It talks for `SMS_BOT`, else for the one
 * bot that lists `sms` in its bot.yaml `channels`. Add it to the server's
 * channels: `buildApp({ runtime, config, channels: [...CHANNELS, smsChannel] })`.
 *
 * @example
 * ```ts
 * const adapter = await smsChannel.mount(app, { runtime, env: process.env }); // undefined when off
 * ```
 */
export const smsChannel = defineChannel({
  name: 'sms',
  title: 'SMS',
  capabilities: SMS_CAPABILITIES,
  env: { required: ['SMS_GATEWAY_URL', 'SMS_WEBHOOK_TOKEN'], optional: ['SMS_BOT'] },
  routes: [{ method: 'POST', url: '/webhooks/sms' }],
  configure(vars, { runtime }): SmsSettings {
    const named = vars['SMS_BOT'];
    const botId = botForChannel(runtime.engine.bots, 'sms', named ? { named } : {});
    if (botId === undefined) {
      throw new VitrineError('VT_ERR_CONFIG_INVALID', named ? `SMS_BOT=${JSON.stringify(named)}: no such bot is loaded` : 'SMS is on but no single bot lists "sms": set SMS_BOT');
    }
    return { gatewayUrl: vars['SMS_GATEWAY_URL'] ?? '', webhookToken: vars['SMS_WEBHOOK_TOKEN'] ?? '', botId };
  },
  createAdapter: (settings) => createSmsAdapter({ send: (to, text) => sendThroughGateway(settings.gatewayUrl, to, text) }),
  async register(app, { runtime, adapter, settings }) {
    jsonBodyParser(app);
    app.post('/webhooks/sms', async (request) => {
      if (!safeEqual(request.headers['x-sms-token'], settings.webhookToken)) throw new VitrineError('VT_ERR_WEBHOOK_SIGNATURE');
      const parsed = adapter.parse(request.body, { botId: settings.botId });
      if (!parsed.ok) throw parsed.error;
      if (!(await admitThroughEngine(runtime, parsed.messages, runtime.logger))) throw new VitrineError('VT_ERR_JOURNAL_UNAVAILABLE');
      return { ok: true };
    });
  },
});
