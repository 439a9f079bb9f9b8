import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import type { PaymentProvider, PaymentStart } from '../../engine/index.ts';
import { createStripePaymentProvider } from '../../adapters/payments/stripe/index.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { startFakeStripe, type FakeStripe } from '../../adapters/kit/testing/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

let fake: FakeStripe;
let botRoot: string;
let botDir: string;

beforeAll(async () => {
  fake = await startFakeStripe();
  botRoot = mkdtempSync(path.join(tmpdir(), 'vitrine-crash-bot-'));
  botDir = path.join(botRoot, 'directory');
  cpSync(path.join(BOTS_DIR, 'directory'), botDir, { recursive: true });
  const yaml = path.join(botDir, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/provider: sandbox/, 'provider: stripe'));
});

afterAll(async () => {
  await fake?.close();
  rmSync(botRoot, { recursive: true, force: true });
});

const stripe = () => createStripePaymentProvider({ secretKey: 'sk_test_vitrine', apiBaseUrl: fake.url, successUrl: 'https://shop.example/paid', cancelUrl: 'https://shop.example/cancelled' });

describe('payment providers are called after the turn commits', () => {
  it('ends with one Checkout Session and one order when the instance dies between the order and the provider answer', async () => {
    // The first instance reaches Stripe (the session is created) and then never comes back, as if the process died.
    const real = stripe();
    let called!: () => void;
    const reachedStripe = new Promise<void>((resolve) => { called = resolve; });
    let revive!: () => void;
    const dead = new Promise<void>((resolve) => { revive = resolve; });
    const dying: PaymentProvider = {
      id: 'stripe',
      async createPayment(order): Promise<PaymentStart> {
        const start = await real.createPayment(order);
        called();
        await dead;
        return start;
      },
    };
    const first: TestRuntime = await createTestRuntime({ botDirs: [botDir], payments: [dying], engine: { pollMs: 20 } });
    const chat = createTestConversation(first.engine, { botId: 'directory', customerId: 'crash-ana', locale: 'pt-BR' });
    await chat.say('oi');
    const shop = await chat.say(optionNumber(await chat.say('padaria'), 'Padaria São Jorge'));
    await chat.say(optionNumber(await chat.say(optionNumber(shop, 'Salgados')), 'Pão de queijo'));
    await chat.say('2');
    const cart = plain(await chat.say('carrinho'));
    const checkout = chat.say(optionNumber(cart, 'Finalizar compra'));
    await reachedStripe;
    // The order is on disk, the payment is not: no Payment row yet.
    const order = await first.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'crash-ana' } } } });
    expect(await first.db.payment.count({ where: { orderId: order.id } })).toBe(0);

    // A second instance on the same database takes the payment over: nothing was taken yet.
    const second = await createTestRuntime({ databaseUrl: first.databaseUrl, botDirs: [botDir], payments: [stripe()], engine: { pollMs: 20 } });
    try {
      const until = Date.now() + 10_000;
      while ((await second.db.payment.count({ where: { orderId: order.id } })) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      revive();
      await checkout;
      await second.engine.idle();
      await first.engine.idle();

      const sessions = [...fake.sessions.values()].filter((s) => s.metadata['orderId'] === order.id);
      expect(sessions).toHaveLength(1);
      // Every attempt (the stuck one, and each taken over after its lease) asks with the same idempotency key.
      const creates = fake.requests.filter((r) => r.path === '/v1/checkout/sessions');
      expect(creates.filter((r) => r.idempotencyKey === `order-${order.id}-v0`).length).toBeGreaterThanOrEqual(2);
      expect(creates.filter((r) => r.idempotencyKey !== `order-${order.id}-v0`)).toEqual([]);
      expect(await second.db.order.count({ where: { conversation: { customer: { externalId: 'crash-ana' } } } })).toBe(1);
      const payments = await second.db.payment.findMany({ where: { orderId: order.id } });
      expect(payments.map((p) => p.providerRef)).toEqual([sessions[0]?.id]);
      const start = await second.db.inboundEvent.findFirstOrThrow({ where: { messageId: { endsWith: ':payment.start' }, conversationId: order.conversationId } });
      expect(start.status).toBe('done');
    } finally {
      await second.dispose();
      await first.close();
    }
  });

  it('keeps the turn free of network calls: the order exists before the provider is asked', async () => {
    const seen: { orders: number; payments: number }[] = [];
    let rt!: TestRuntime;
    const watching: PaymentProvider = {
      id: 'stripe',
      async createPayment(order) {
        // Another connection sees the order committed while the provider is being called.
        seen.push({ orders: await rt.db.order.count({ where: { id: order.id } }), payments: await rt.db.payment.count({ where: { orderId: order.id } }) });
        return { kind: 'deferred', providerRef: `watch_${order.id}` };
      },
    };
    rt = await createTestRuntime({ botDirs: [botDir], payments: [watching] });
    try {
      const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'watch-bia', locale: 'pt-BR' });
      await chat.say('oi');
      const shop = await chat.say(optionNumber(await chat.say('padaria'), 'Padaria São Jorge'));
      await chat.say(optionNumber(await chat.say(optionNumber(shop, 'Salgados')), 'Pão de queijo'));
      await chat.say('1');
      const done = plain(await chat.say(optionNumber(plain(await chat.say('carrinho')), 'Finalizar compra')));
      expect(seen).toEqual([{ orders: 1, payments: 0 }]);
      expect(done).toMatch(/Pagamento pendente/);
    } finally {
      await rt.dispose();
    }
  });
});
