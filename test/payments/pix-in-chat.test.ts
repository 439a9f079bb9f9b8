import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../adapters/console/index.ts';
import { channelSender } from '../../adapters/kit/index.ts';
import { startFakeStripe, type FakeStripe } from '../../adapters/kit/testing/index.ts';
import { createStripePaymentProvider } from '../../adapters/payments/stripe/index.ts';
import { createWebchatAdapter } from '../../adapters/webchat/index.ts';
import { renderTelegram } from '../../adapters/telegram/render.ts';
import { renderWhatsApp } from '../../adapters/whatsapp/render.ts';
import { OptionIds } from '../../adapters/kit/index.ts';
import type { ChannelAdapter, OutboundMessage } from '../../engine/index.ts';
import { paymentWebhookRoutes } from '../../server/routes/payment-webhooks.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';
import { checkoutBrazilianCustomer } from '../support/brazilian-checkout.ts';

const SECRET = 'whsec_pix_in_chat';
let fake: FakeStripe;
let rt: TestRuntime;
let app: FastifyInstance;
let botRoot: string;
let webhookUrl: string;
const sent: { customerId: string; text: string }[] = [];

beforeAll(async () => {
  fake = await startFakeStripe();
  botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-pix-bot-'));
  const botDir = path.join(botRoot, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
  const yaml = path.join(botDir, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/ {2}provider: \w+/, '  provider: stripe\n  methods: { BR: [pix, card], "*": [card] }\n  inChat: [pix]'));
  const provider = createStripePaymentProvider({ secretKey: 'sk_test_pix', apiBaseUrl: fake.url, successUrl: 'https://shop.example/paid', cancelUrl: 'https://shop.example/cancelled', webhookSecret: SECRET });
  rt = await createTestRuntime({ botDirs: [botDir], payments: [provider] });
  const console: ChannelAdapter<unknown> = { ...createConsoleAdapter(), async send(to, rendered) {
    for (const text of rendered) sent.push({ customerId: to.customerId, text: plain(String(text)) });
  } };
  rt.engine.outbox.register(channelSender(console));
  app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, JSON.parse((body as Buffer).toString('utf8')));
  });
  await app.register(paymentWebhookRoutes, { providers: [provider], engine: rt.engine });
  webhookUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/webhooks/payments/stripe`;
});

afterAll(async () => {
  await app?.close();
  await rt?.dispose();
  await fake?.close();
  rmSync(botRoot, { recursive: true, force: true });
});

/** Posts a Stripe event to the webhook route, signed, and waits until its effects are done. */
async function post(body: string): Promise<number> {
  const res = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(body, SECRET) }, body });
  await rt.engine.idle();
  return res.status;
}

/** Walks a Brazilian customer to checkout with three pães de queijo (R$ 37,50). */
const checkoutAs = (customerId: string) => checkoutBrazilianCustomer(rt.engine, rt.db, customerId);

describe('Pix paid with a code shown in the chat (payments.inChat: [pix])', () => {
  it('shows the Pix code of a PaymentIntent for the order, and its page with the QR as the link', async () => {
    const { reply, link, order } = await checkoutAs('pix-ana');
    const [intent] = [...fake.intents.values()].filter((i) => i.metadata['orderId'] === order.id);
    expect(intent).toMatchObject({ amount: 3750, currency: 'brl', payment_method_types: ['pix'], status: 'requires_action', metadata: { orderNumber: order.number } });
    expect(fake.requests.some((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === `order-${order.id}-v0`)).toBe(true);
    const pix = intent!.next_action!.pix_display_qr_code;
    expect(link.code).toEqual({ method: 'pix', value: pix.data, imageUrl: pix.image_url_png, expires: '60 minutos' });
    expect(link.url).toBe(pix.hosted_instructions_url);
    // On a text channel the code is a line of its own, to copy whole.
    expect(reply).toContain('Pague R$ 37,50 com Pix: copie o código abaixo no app do seu banco (Pix copia e cola) ou escaneie o QR code. Ele vale por 60 minutos.');
    expect(reply.split('\n')).toContain(pix.data);
    expect(await rt.db.payment.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ provider: 'stripe', providerRef: intent!.id, status: 'pending' });
  });

  it('gives the code on every channel: its own message on WhatsApp and Telegram, a copy box with the QR on the web chat', async () => {
    const { link } = await checkoutAs('pix-bia');
    const whatsapp = renderWhatsApp(link, new OptionIds({ maxBytes: 200 }), { orderMessages: true });
    expect(whatsapp.at(-1)).toEqual({ type: 'text', text: { body: link.code!.value } });
    // A Brazilian order goes as WhatsApp's order message, its payment link the page of the same code.
    expect(whatsapp[0]).toMatchObject({ type: 'interactive', interactive: { type: 'order_details', action: { parameters: { reference_id: link.orderNumber, payment_settings: [{ type: 'payment_link', payment_link: { uri: link.url } }] } } } });
    expect(renderWhatsApp(link, new OptionIds({ maxBytes: 200 }), { orderMessages: false })[0]).toMatchObject({ type: 'interactive', interactive: { type: 'cta_url', action: { parameters: { url: link.url } } } });
    expect(renderTelegram(link, new OptionIds({ maxBytes: 64 })).at(-1)).toMatchObject({ method: 'sendMessage', text: link.code!.value });
    const [frame] = createWebchatAdapter().render(link, { locale: 'pt-BR' });
    expect(frame).toMatchObject({ type: 'message', message: { kind: 'paymentLink', code: { method: 'pix', value: link.code!.value, imageUrl: link.code!.imageUrl, expires: '60 minutos' } } });
  });

  it('sends the receipt when Stripe says the PaymentIntent succeeded, once', async () => {
    const { order, link } = await checkoutAs('pix-caio');
    const intentId = (await rt.db.payment.findFirstOrThrow({ where: { orderId: order.id } })).providerRef;
    const succeeded = fake.event('payment_intent.succeeded', fake.payIntent(intentId));
    expect(await post(succeeded)).toBe(200);
    expect(await post(succeeded)).toBe(200);
    const told = sent.filter((s) => s.customerId === 'pix-caio').map((s) => s.text).join('\n');
    expect(told.match(/Pagamento recebido, obrigado!/g)).toHaveLength(1);
    expect(told).toContain(`Recibo do pedido ${order.number} em Padaria São Jorge: R$ 37,50.`);
    expect((await rt.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('paid');
    expect(link.code?.value).toContain('br.gov.bcb.pix');
  });

  it('offers a new code when the one shown expired unpaid, from a new PaymentIntent', async () => {
    const { chat, order } = await checkoutAs('pix-dani');
    const first = (await rt.db.payment.findFirstOrThrow({ where: { orderId: order.id } })).providerRef;
    expect(await post(fake.event('payment_intent.payment_failed', fake.expireIntent(first)))).toBe(200);
    const notice = sent.filter((s) => s.customerId === 'pix-dani').map((s) => s.text).join('\n');
    expect((await rt.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('expired');
    const again = plain(await chat.say(optionNumber(notice, 'Novo link de pagamento')));
    const renewed = chat.last.find((m): m is Extract<OutboundMessage, { kind: 'paymentLink' }> => m.kind === 'paymentLink');
    expect(renewed?.code?.value).toBeDefined();
    const second = [...fake.intents.values()].filter((i) => i.metadata['orderId'] === order.id).map((i) => i.id);
    expect(second).toHaveLength(2);
    expect(renewed?.code?.value).toBe(fake.intents.get(second[1]!)!.next_action!.pix_display_qr_code.data);
    expect(again).toContain('Pague R$ 37,50 com Pix');
    expect(fake.requests.some((r) => r.path === '/v1/payment_intents' && r.idempotencyKey === `order-${order.id}-v2`)).toBe(true);
  });

  it('is refused for a provider that cannot show a payment in the chat, with file and line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-pix-bad-'));
    try {
      const botDir = path.join(dir, 'directory');
      cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
      const yaml = path.join(botDir, 'bot.yaml');
      writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/ {2}provider: \w+/, '  provider: stripe\n  inChat: [oxxo]'));
      const provider = createStripePaymentProvider({ secretKey: 'sk_test_pix', apiBaseUrl: fake.url, successUrl: 'https://x/paid', cancelUrl: 'https://x/c' });
      const error: unknown = await createTestRuntime({ botDirs: [botDir], payments: [provider] }).catch((err: unknown) => err);
      expect((error as { problems?: unknown }).problems).toEqual([expect.objectContaining({ path: 'payments.inChat[0]', message: 'payment provider "stripe" cannot show "oxxo" in the chat: expected one of pix', line: 13 })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
