import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../engine/index.ts';
import { createTestConversation } from '../../adapters/console/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const base = (botId: string, customer: string, id: string) => ({ messageId: id, channel: 'console', botId, customer: { id: customer } });
const text = (replies: { kind: string }[]) => plain(JSON.stringify(replies));

describe('a cart sent from the channel catalog', () => {
  it('fills the cart of a one-shop bot at database prices and shows it', async () => {
    const order: InboundMessage = { ...base('corner-bakery', 'ola-order', 'o1'), kind: 'order', items: [{ sku: 'BAGUETTE', quantity: 2 }, { sku: 'NOPE', quantity: 1 }] };
    const replies = await rt.engine.handle(order);
    expect(text(replies)).toContain("I've put 2 items from your order into your cart.");
    expect(text(replies)).toContain('Some items could not be added (not for sale here, or not enough in stock): NOPE.');
    const cart = replies.find((r) => r.kind === 'cart');
    expect(cart).toMatchObject({ kind: 'cart', totalMinor: 640, currency: 'GBP' });
  });

  it('asks a directory customer to pick a shop first, then adds to that shop', async () => {
    const before = await rt.engine.handle({ ...base('directory', 'pia-order', 'p1'), kind: 'order', items: [{ sku: 'SAUSAGE-ROLL', quantity: 1 }] });
    expect(text(before)).toContain('Please pick a shop first');
    const chat = createTestConversation(rt.engine, { botId: 'directory', customerId: 'pia-order' });
    await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
    const after = await rt.engine.handle({ ...base('directory', 'pia-order', 'p2'), kind: 'order', items: [{ sku: 'SAUSAGE-ROLL', quantity: 3 }] });
    expect(text(after)).toContain("I've put 3 items from your order into your cart.");
    expect(after.find((r) => r.kind === 'cart')).toMatchObject({ totalMinor: 960, lines: [expect.objectContaining({ name: 'Sausage roll', quantity: 3, lineTotal: '£9.60' })] });
  });
});

describe('a message the channel could not map', () => {
  it('gets a polite answer in the customer language', async () => {
    await rt.engine.handle({ ...base('directory', 'quin-sticker', 'q1'), kind: 'text', text: 'oi' });
    const replies = await rt.engine.handle({ ...base('directory', 'quin-sticker', 'q2'), kind: 'unsupported', what: 'sticker' });
    expect(replies).toEqual([{ kind: 'text', text: 'Desculpe, só consigo ler texto e botões. Por favor, escreva sua mensagem.' }]);
  });
});
