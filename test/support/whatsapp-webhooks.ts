import { PHONE_NUMBER_ID, sign, wamid } from '../channels/whatsapp-payloads.ts';

/** Settings a server needs to run the WhatsApp channel against a fake Graph API. */
export const WHATSAPP_TEST_ENV = {
  WHATSAPP_APP_SECRET: 'runtime-test-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'runtime-test-verify-token',
  WHATSAPP_ACCESS_TOKEN: 'EAAruntime',
  // The directory bot (bots/directory/bot.yaml) answers on this number.
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
} as const;

/** The server environment for the WhatsApp channel, sending to `graphUrl`. */
export function whatsappEnv(graphUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...WHATSAPP_TEST_ENV, WHATSAPP_GRAPH_URL: graphUrl, ...extra };
}

/** One inbound webhook: its raw body (redelivered byte for byte) and the wamid of its message. */
export interface Webhook {
  id: string;
  from: string;
  body: string;
}

function webhook(from: string, message: Record<string, unknown>, id = wamid()): Webhook {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
          contacts: [{ profile: { name: `Customer ${from.slice(-4)}` }, wa_id: from }],
          messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
        },
      }],
    }],
  };
  return { id, from, body: JSON.stringify(payload) };
}

/** A text message from `from`. */
export const textWebhook = (from: string, text: string): Webhook => webhook(from, { type: 'text', text: { body: text } });

/** A tap on a reply button (`kind: 'button'`) or a list row (`kind: 'list'`) from `from`. */
export function tapWebhook(from: string, option: { id: string; title: string; kind: 'button' | 'list' }): Webhook {
  const interactive = option.kind === 'button'
    ? { type: 'button_reply', button_reply: { id: option.id, title: option.title } }
    : { type: 'list_reply', list_reply: { id: option.id, title: option.title, description: '' } };
  return webhook(from, { type: 'interactive', interactive });
}

/** How {@link deliver} talks to the server. */
export interface DeliverOptions {
  timeoutMs?: number;
  /** `close`: one connection per delivery (`Connection: close`); by default connections are kept alive and reused. */
  connection?: 'keep-alive' | 'close';
}

/**
 * Posts a webhook to a server signed with the test app secret, as Meta does.
 * Resolves with the HTTP status, or `undefined` when no answer came (the
 * server was killed or is not listening): Meta would deliver it again.
 */
export async function deliver(baseUrl: string, hook: Webhook, options: DeliverOptions = {}): Promise<number | undefined> {
  try {
    const res = await fetch(`${baseUrl}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', 'x-hub-signature-256': sign(hook.body, WHATSAPP_TEST_ENV.WHATSAPP_APP_SECRET),
        ...(options.connection === 'close' ? { connection: 'close' } : {}),
      },
      body: hook.body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return undefined;
  }
}
