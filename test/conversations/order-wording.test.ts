import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { channelCapabilities } from '../../adapters/channels.ts';
import { CONSOLE_CAPABILITIES, createConsoleAdapter, createTestConversation, type TestConversation } from '../../adapters/console/index.ts';
import { channelSender } from '../../adapters/kit/index.ts';
import type { ChannelAdapter } from '../../engine/index.ts';
import { markOrder, shopMarkNotice, validShopMarks } from '../../engine/orders/shop-marks.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

/** Sends a line and returns the reply with plain spaces. */
const say = async (chat: TestConversation, text: string) => plain(await chat.say(text));
/** Taps the numbered option whose line holds `label` in `reply`. */
const tap = (chat: TestConversation, reply: string, label: string) => say(chat, optionNumber(reply, label));

// The Corner Bakery paid in cash: pickup at 12 Chalcot Road, or delivery to Camden £2.50 / Islington £4.00 (minimum £10, free from £30).
const root = mkdtempSync(path.join(tmpdir(), 'vitrine-order-wording-'));
const botDir = path.join(root, 'corner-bakery');
cpSync(path.join(BOTS_DIR, 'corner-bakery'), botDir, { recursive: true });
const yaml = path.join(botDir, 'bot.yaml');
writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('provider: sandbox', 'provider: cash'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What the outbox sent each customer (notices), as they would read it. */
const sent: { customerId: string; text: string }[] = [];
const toCustomer = (customerId: string) => sent.filter((s) => s.customerId === customerId).map((s) => s.text).join('\n');
function recordingConsole(): ChannelAdapter<string> {
  return { ...createConsoleAdapter(), async send(to, rendered) {
    for (const text of rendered) sent.push({ customerId: to.customerId, text: plain(text) });
  } };
}

/** Puts `count` of a bread in the cart and checks out, up to the question of how to receive it. */
async function checkOut(chat: TestConversation, bread: string, count: number): Promise<string> {
  await tap(chat, await tap(chat, await say(chat, 'hi'), 'Bread'), bread);
  await say(chat, String(count));
  return tap(chat, await say(chat, 'cart'), 'Check out');
}

/** Answers the name, phone and note questions and returns the summary. */
async function contact(chat: TestConversation, name: string): Promise<string> {
  await say(chat, name);
  await say(chat, '020 7946 0001');
  return say(chat, 'skip');
}

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
  rt.engine.outbox.register(channelSender(recordingConsole()));
}, () => {
  const orderOf = (customerId: string) => rt.db.order.findFirstOrThrow({ where: { customer: { externalId: customerId } }, orderBy: { createdAt: 'desc' } });
  /** Marks the order as the shop would, and lets the customer's notice leave. */
  const mark = async (number: string, status: 'paid' | 'fulfilled' | 'shipped') => {
    const result = await markOrder({ db: rt.db, providers: rt.payments }, number, status);
    await rt.engine.notify(result.conversationId, ...shopMarkNotice(result));
    await rt.engine.idle();
    return result;
  };

  it('shows the delivery fee with its zone below the lines of the placed order, its status and its notices, so they add up to the total', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'fee-ines', locale: 'en-GB' });
    await tap(chat, await tap(chat, await checkOut(chat, 'White sourdough', 2), 'Delivery'), 'Islington');
    await say(chat, '5 Upper Street, N1');
    const placed = await tap(chat, await contact(chat, 'Ines'), 'Confirm order');
    expect(placed).toMatch(/Order CB-[A-Z0-9]{6} is placed: £15\.00\.\n2 × White sourdough: £11\.00\nDelivery fee \(Islington\): £4\.00/);
    expect(await say(chat, 'my orders')).toContain('2 × White sourdough: £11.00\nDelivery fee (Islington): £4.00');
    const order = await orderOf('fee-ines');
    await mark(order.number, 'paid');
    await mark(order.number, 'fulfilled');
    expect(toCustomer('fee-ines')).toContain('2 × White sourdough: £11.00\nDelivery fee (Islington): £4.00');
  });

  it('says "Delivery: free" under the lines of an order delivered free, and no fee line for a pickup', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'free-olu', locale: 'en-GB' });
    await tap(chat, await tap(chat, await checkOut(chat, 'Seeded rye', 5), 'Delivery'), 'Camden');
    await say(chat, '5 Jamestown Road, NW1 7BY');
    const summary = await contact(chat, 'Olu');
    expect(await tap(chat, summary, 'Confirm order')).toContain('5 × Seeded rye: £31.00\nDelivery: free');
    const pickup = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'pick-tomasz', locale: 'en-GB' });
    await tap(pickup, await checkOut(pickup, 'Baguette', 2), 'Pick up');
    const placed = await tap(pickup, await contact(pickup, 'Tomasz'), 'Confirm order');
    expect(placed).toContain('2 × Baguette: £6.40');
    expect(placed).not.toMatch(/Delivery/);
  });

  it('tells a customer paying in cash how much to have ready and when: on delivery, or when they pick it up', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'cash-dev', locale: 'en-GB' });
    await tap(chat, await tap(chat, await checkOut(chat, 'White sourdough', 2), 'Delivery'), 'Camden');
    await say(chat, '5 Jamestown Road, NW1 7BY');
    const placed = await tap(chat, await contact(chat, 'Dev'), 'Confirm order');
    expect(placed).toContain('Delivery fee (Camden): £2.50\nPay £13.50 in cash when your order is delivered.');
    expect(placed).not.toContain('will confirm your payment');
    const pickup = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'cash-pia', locale: 'en-GB' });
    await tap(pickup, await checkOut(pickup, 'Baguette', 2), 'Pick up');
    expect(await tap(pickup, await contact(pickup, 'Pia'), 'Confirm order')).toContain('£6.40\nPay £6.40 in cash when you pick it up.');
  });

  it('asks for a typed address on a channel that cannot send a location pin, and takes the pin where one can', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'typed-kai', locale: 'en-GB' });
    const where = await tap(chat, await tap(chat, await checkOut(chat, 'White sourdough', 2), 'Delivery'), 'Camden');
    expect(where).toBe('Where should we deliver? Type the address (street, number, area).');
    expect(await say(chat, '12')).toBe('Please type the full address (street, number, area).');
    // WhatsApp and Telegram say their customers can share a location; a channel that says so is asked for the pin.
    expect(channelCapabilities().get('whatsapp')?.inbound).toContain('location');
    expect(channelCapabilities().get('telegram')?.inbound).toContain('location');
    expect(channelCapabilities().get('webchat')?.inbound ?? []).not.toContain('location');
    const pins = await createTestRuntime({ botDirs: [botDir], channels: new Map([['console', { ...CONSOLE_CAPABILITIES, inbound: ['location'] }]]) });
    try {
      const pinChat = createTestConversation(pins.engine, { botId: 'corner-bakery', customerId: 'pin-kai', locale: 'en-GB' });
      const ask = await tap(pinChat, await tap(pinChat, await checkOut(pinChat, 'White sourdough', 2), 'Delivery'), 'Camden');
      expect(ask).toBe('Where should we deliver? Type the address, or share your location 📍.');
      expect(plain(await pinChat.shareLocation(51.5416, -0.1027))).toContain('What name should we put on the order?');
    } finally {
      await pins.dispose();
    }
  });

  it('words a pickup as a pickup: no bell to ring, a neutral button to change it, "ready to collect at" the shop, and never shipped', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'collect-ana', locale: 'en-GB' });
    await tap(chat, await checkOut(chat, 'Baguette', 2), 'Pick up');
    await say(chat, 'Ana');
    const note = await say(chat, '020 7946 0003');
    expect(note).toContain('Anything the shop should know? Type a note, or "skip".');
    expect(note).not.toContain('ring the bell');
    const summary = await say(chat, 'skip');
    expect(summary).toContain('3. Change how to get it');
    expect(summary).not.toContain('Change delivery');
    await tap(chat, summary, 'Confirm order');
    const order = await orderOf('collect-ana');
    await mark(order.number, 'paid');
    await mark(order.number, 'fulfilled');
    expect(toCustomer('collect-ana')).toContain(`Order ${order.number} at Corner Bakery is ready to collect at 12 Chalcot Road, London NW1.`);
    // Neither the dashboard's buttons nor the API or the CLI offer to ship it.
    expect(validShopMarks('fulfilled', { paidByShop: true }, 'pickup')).toEqual(['refunded']);
    expect(validShopMarks('fulfilled', { paidByShop: true }, 'delivery')).toEqual(['shipped', 'refunded']);
    await expect(markOrder({ db: rt.db, providers: rt.payments }, order.number, 'shipped')).rejects.toMatchObject({ code: 'VT_ERR_ORDER_TRANSITION', message: expect.stringContaining('cannot be marked shipped') });
    expect((await orderOf('collect-ana')).status).toBe('fulfilled');
  });

  it('keeps the bell in the note question for a delivery', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'bell-bo', locale: 'en-GB' });
    await tap(chat, await tap(chat, await checkOut(chat, 'White sourdough', 2), 'Delivery'), 'Camden');
    await say(chat, '5 Jamestown Road, NW1 7BY');
    await say(chat, 'Bo');
    expect(await say(chat, '020 7946 0004')).toContain('Anything the shop should know (e.g. "ring the bell")?');
  });

  it('checks out when the customer types "checkout" or "check-out" at the cart', async () => {
    for (const typed of ['checkout', 'check-out']) {
      const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: `typed-${typed}`, locale: 'en-GB' });
      await tap(chat, await tap(chat, await say(chat, 'hi'), 'Bread'), 'Baguette');
      await say(chat, '2');
      expect(await say(chat, 'cart')).toContain('Check out');
      expect(await say(chat, typed)).toContain('How would you like to get your order?');
    }
  });
}, { botDirs: [botDir], channels: channelCapabilities() });
