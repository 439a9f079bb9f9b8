import { createHmac } from 'node:crypto';

/** Settings of the WhatsApp channel for a benchmark server (fake values; nothing leaves 127.0.0.1). */
export const WHATSAPP_BENCH = {
  appSecret: 'bench-app-secret',
  verifyToken: 'bench-verify-token',
  accessToken: 'EAAbench',
  phoneNumberId: '106540352242922',
} as const;

/**
 * The environment that turns the server's WhatsApp channel on, sending to `graphUrl`
 * (which includes the version path, e.g. `http://127.0.0.1:4000/v21.0`).
 *
 * @example
 * ```ts
 * startProcess({ name: 'vitrine', script: VITRINE_SERVER, env: { ...whatsappEnv(graph.graphUrl, 100_000) } });
 * ```
 */
export function whatsappEnv(graphUrl: string, sendRate: number): Record<string, string> {
  return {
    WHATSAPP_APP_SECRET: WHATSAPP_BENCH.appSecret,
    WHATSAPP_VERIFY_TOKEN: WHATSAPP_BENCH.verifyToken,
    WHATSAPP_ACCESS_TOKEN: WHATSAPP_BENCH.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_BENCH.phoneNumberId,
    WHATSAPP_GRAPH_URL: graphUrl,
    WHATSAPP_SEND_RATE: String(sendRate),
  };
}

/**
 * A Cloud API webhook body carrying one text message, shaped like the documented
 * examples (and `test/channels/whatsapp-payloads.ts`).
 *
 * @example
 * ```ts
 * const body = textWebhook({ from: '5511900000001', text: 'oi', id: 'wamid.bench.1' });
 * ```
 */
export function textWebhook(message: { from: string; text: string; id: string; phoneNumberId?: string }): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550783881', phone_number_id: message.phoneNumberId ?? WHATSAPP_BENCH.phoneNumberId },
          contacts: [{ profile: { name: 'Bench Customer' }, wa_id: message.from }],
          messages: [{ from: message.from, id: message.id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: message.text } }],
        },
      }],
    }],
  });
}

/**
 * The `X-Hub-Signature-256` header value for a body: `sha256=` + hex HMAC-SHA256 with the app secret.
 *
 * @example
 * ```ts
 * headers['x-hub-signature-256'] = signature(body);
 * ```
 */
export function signature(body: string, appSecret: string = WHATSAPP_BENCH.appSecret): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * A WhatsApp id for customer number `index` of a run (distinct per index).
 *
 * @example
 * ```ts
 * customerPhone(7); // '5511900000007'
 * ```
 */
export function customerPhone(index: number, prefix = '55119'): string {
  return `${prefix}${String(index).padStart(8, '0')}`;
}
