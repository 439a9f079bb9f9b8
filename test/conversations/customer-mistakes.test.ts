import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import type { OutboundMessage } from '../../engine/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const UNKNOWN_PRODUCT = "Sorry, I can't find that product in this shop. It may no longer be for sale.";
const logs: { level: number; msg: string; code?: string }[] = [];
let rt: TestRuntime;

beforeAll(async () => {
  rt = await createTestRuntime({ logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) }) });
});
afterAll(async () => rt?.dispose());

/** What the bot answers to a tap on `optionId` from `customerId`. */
async function tap(customerId: string, optionId: string): Promise<string> {
  const replies: OutboundMessage[] = await rt.engine.handle({ kind: 'choice', optionId, messageId: `${customerId}-${optionId}-${logs.length}`, channel: 'console', botId: 'directory', customer: { id: customerId } });
  return replies.map((r) => ('text' in r ? String(r.text) : '')).join('\n');
}

describe('an id of another business sent by a customer', () => {
  it('gets the polite "no such product here" reply, adds nothing, and is logged as a warning, not an error', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'ivy-foreign' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
    expect(plain(await chat.say('2'))).toContain('£6.40');
    await chat.say('cart');
    const foreign = await rt.db.product.findFirstOrThrow({ where: { sku: 'PAO-QUEIJO' } });
    logs.length = 0;

    expect(await tap('ivy-foreign', `cart:set:${foreign.id}:1`)).toBe(UNKNOWN_PRODUCT);
    expect(await tap('ivy-foreign', 'cart:set:no-such-product:3')).toBe(UNKNOWN_PRODUCT);

    const items = await rt.db.cartItem.findMany({ where: { cart: { conversation: { customer: { externalId: 'ivy-foreign' } } } }, include: { product: true } });
    expect(items.map((i) => [i.product.sku, i.quantity])).toEqual([[expect.any(String), 2]]);
    expect(items[0]?.productId).not.toBe(foreign.id);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
    expect(logs.filter((l) => l.level === 40 && l.code === 'VT_ERR_PRODUCT_UNKNOWN')).toHaveLength(2);
  });

  it('gets the same reply when it taps a product of another business while browsing a shop', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'jon-foreign' });
    await chat.say('hi');
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    const foreign = await rt.db.product.findFirstOrThrow({ where: { sku: 'PAO-QUEIJO' } });
    logs.length = 0;
    const reply = await tap('jon-foreign', `product:${foreign.id}`);
    expect(reply).toBe(UNKNOWN_PRODUCT);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('a customer who writes while the order waits for payment', () => {
  it('sees the order waiting, with what they can do, after a greeting and after handing a person the chat back', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'lupe-waiting', locale: 'es-MX' });
    await chat.say('hola');
    await chat.say(optionNumber(await chat.say('taqueria'), 'Taquería El Güero'));
    await chat.say('1');
    await chat.say('1');
    await chat.say('2');
    const placed = await chat.say(optionNumber(await chat.say('carrito'), 'Pagar'));
    const number = /VT-[A-Z0-9]{6}/.exec(placed)?.[0] ?? '';
    // Right after the checkout nothing is added to the payment link; a greeting shows where the order is.
    expect(placed).not.toContain('está esperando el pago');
    const waiting = `El pedido ${number} ($90.00) está esperando el pago.\n1. Cancelar pedido\n2. Comprar de nuevo\n3. Estado del pedido`;
    expect(await chat.say('hola')).toBe(waiting);
    expect(await chat.say('quiero hablar con alguien')).toContain('Le avisé al equipo de Taquería El Güero');
    expect(await chat.say('empezar de nuevo')).toBe(`De acuerdo, ya estoy de vuelta para ayudarte.\n${waiting}`);
  });
});
