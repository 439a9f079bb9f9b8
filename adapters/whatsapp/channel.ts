import { defineChannel, sendRate } from '../kit/index.ts';
import { WHATSAPP_CAPABILITIES } from './render.ts';
import { whatsappRoutes } from './routes.ts';
import { createWhatsAppAdapter, whatsappRouting } from './whatsapp-adapter.ts';

/** What the WhatsApp channel reads from its environment. */
export interface WhatsAppSettings {
  accessToken: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  graphUrl?: string;
  maxPerSecond: number;
}

/**
 * The WhatsApp Cloud API channel: on when `WHATSAPP_APP_SECRET`,
 * `WHATSAPP_VERIFY_TOKEN`, `WHATSAPP_ACCESS_TOKEN` and `WHATSAPP_PHONE_NUMBER_ID`
 * are set; `GET`/`POST /webhooks/whatsapp`. The configured number answers for
 * the bot `botForChannel` picks; a bot with `channels.whatsapp.phoneNumberId`
 * answers on its own number.
 *
 * @example
 * ```ts
 * await whatsappChannel.mount(app, { runtime, env: process.env });
 * ```
 */
export const whatsappChannel = defineChannel({
  name: 'whatsapp',
  title: 'WhatsApp',
  capabilities: WHATSAPP_CAPABILITIES,
  env: {
    required: ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'],
    optional: ['WHATSAPP_GRAPH_URL', 'WHATSAPP_SEND_RATE'],
  },
  routes: [{ method: 'GET', url: '/webhooks/whatsapp' }, { method: 'POST', url: '/webhooks/whatsapp' }],
  configure(vars, { env }): WhatsAppSettings {
    return {
      accessToken: vars['WHATSAPP_ACCESS_TOKEN'] ?? '', phoneNumberId: vars['WHATSAPP_PHONE_NUMBER_ID'] ?? '',
      appSecret: vars['WHATSAPP_APP_SECRET'] ?? '', verifyToken: vars['WHATSAPP_VERIFY_TOKEN'] ?? '',
      ...(vars['WHATSAPP_GRAPH_URL'] ? { graphUrl: vars['WHATSAPP_GRAPH_URL'] } : {}),
      maxPerSecond: sendRate(env, 'WHATSAPP_SEND_RATE', 80),
    };
  },
  createAdapter(settings, { runtime, publicUrl }) {
    const { phoneNumberId } = settings;
    const routing = whatsappRouting(runtime.engine.bots, { phoneNumberId });
    if (routing.botFor?.(phoneNumberId) === undefined) {
      runtime.logger.warn({ phoneNumberId }, 'no bot answers on WHATSAPP_PHONE_NUMBER_ID: list "whatsapp" in one bot\'s bot.yaml channels');
    }
    return createWhatsAppAdapter({
      accessToken: settings.accessToken, phoneNumberId, appSecret: settings.appSecret, ...(settings.graphUrl ? { graphUrl: settings.graphUrl } : {}),
      logger: runtime.logger, maxPerSecond: settings.maxPerSecond, retry: { maxAttempts: 1 }, ...routing, ...(publicUrl ? { publicUrl } : {}),
    });
  },
  async register(app, { runtime, adapter, settings }) {
    await app.register(whatsappRoutes, { runtime, adapter, verifyToken: settings.verifyToken, appSecret: settings.appSecret });
  },
});
