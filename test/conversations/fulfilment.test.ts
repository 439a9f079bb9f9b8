import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestConversation, type TestConversation } from '../../adapters/console/index.ts';
import { checkoutSessionParams } from '../../adapters/payments/stripe/index.ts';
import { ConfigError, createI18n, formatProblem, staffNoticeText } from '../../engine/index.ts';
import { standardTexts } from '../../flows/index.ts';
import { BOTS_DIR } from '../../server/runtime.ts';
import { createTestRuntime, onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

/** Sends a line and returns the reply with plain spaces. */
const say = async (chat: TestConversation, text: string) => plain(await chat.say(text));
/** Taps the numbered option whose line holds `label` in `reply`. */
const tap = (chat: TestConversation, reply: string, label: string) => say(chat, optionNumber(reply, label));

/** At the Corner Bakery (pickup, or delivery to Camden £2.50 / Islington £4.00, minimum £10, free from £30): puts `count` of a bread in the cart and checks out. */
async function checkOut(chat: TestConversation, bread: string, count: number): Promise<string> {
  const welcome = await say(chat, 'hi');
  await tap(chat, await tap(chat, welcome, 'Bread'), bread);
  await say(chat, String(count));
  return tap(chat, await say(chat, 'cart'), 'Check out');
}

let rt: TestRuntime;
onEachDatabase((runtime) => { rt = runtime; }, () => {
  const orderOf = (customerId: string) => rt.db.order.findFirstOrThrow({ where: { customer: { externalId: customerId } }, orderBy: { createdAt: 'desc' }, include: { payments: true } });

  it('takes a pickup order: the address in the summary, the name and phone asked, no fee, the order records them', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'pick-ana', locale: 'en-GB' });
    const how = await checkOut(chat, 'Baguette', 2);
    expect(how).toContain('How would you like to get your order?');
    expect(await tap(chat, how, 'Pick up')).toContain('What name should we put on the order?');
    expect(await say(chat, 'Ana Souza')).toContain('What phone number can the shop reach you on?');
    expect(await say(chat, 'not a phone')).toContain('doesn\'t look like a phone number');
    expect(await say(chat, '+44 20 7946 0000')).toContain('Type a note, or "skip"');
    const summary = await say(chat, 'skip');
    expect(summary).toContain('2 × Baguette: £6.40\nTotal: £6.40\n\nPick up at 12 Chalcot Road, London NW1\nName: Ana Souza\nPhone: +442079460000');
    expect(summary).not.toContain('Delivery fee');
    expect(await rt.db.order.count({ where: { customer: { externalId: 'pick-ana' } } })).toBe(0);
    expect(await tap(chat, summary, 'Confirm order')).toMatch(/Order CB-[A-Z0-9]{6} is placed: £6\.40\./);
    const order = await orderOf('pick-ana');
    expect(order).toMatchObject({ fulfilment: 'pickup', customerName: 'Ana Souza', customerPhone: '+442079460000', feeMinor: 0, totalMinor: 640, address: null, note: null });
    expect(order.payments[0]?.amountMinor).toBe(640);
  });

  it('refuses delivery below the minimum with the amounts, then delivers to a zone and a location pin once more is added, the fee in the total paid', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'pin-bia', locale: 'en-GB' });
    const how = await checkOut(chat, 'White sourdough', 1);
    // The minimum is said with the choice, before the customer picks delivery.
    expect(how).toContain('Delivery (minimum order £10.00)');
    const zones = await tap(chat, how, 'Delivery');
    expect(zones).toContain('1. Camden (£2.50)\n2. Islington (£4.00)');
    const refused = await tap(chat, zones, 'Islington');
    expect(refused).toContain('Delivery needs an order of at least £10.00; your cart comes to £5.50. Add £4.50 more, or pick it up instead.');
    const bread = await tap(chat, refused, 'Add more items');
    await tap(chat, bread, 'Seeded rye');
    await say(chat, '1');
    const again = await tap(chat, await say(chat, 'cart'), 'Check out');
    await tap(chat, await tap(chat, again, 'Delivery'), 'Islington');
    expect(chat.last.map((m) => m.kind)).toEqual(['text']);
    expect(await chat.shareLocation(51.5416, -0.1027)).toContain('What name should we put on the order?');
    await say(chat, 'Bia');
    await say(chat, '020 7946 0001');
    const summary = await say(chat, 'Leave it with the porter');
    expect(summary).toContain('Subtotal: £11.70\nDelivery fee: £4.00\nTotal: £15.70\n\nDelivery to the location you shared (Islington)\nName: Bia\nPhone: 02079460001\nNote: Leave it with the porter');
    await tap(chat, summary, 'Confirm order');
    const order = await orderOf('pin-bia');
    expect(order).toMatchObject({ fulfilment: 'delivery', zone: 'Islington', latitude: 51.5416, longitude: -0.1027, address: null, feeMinor: 400, totalMinor: 1570, note: 'Leave it with the porter' });
    expect(order.payments[0]?.amountMinor).toBe(1570);
  });

  it('delivers free from the free-from amount, with a typed address', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'free-caio', locale: 'en-GB' });
    const zones = await tap(chat, await checkOut(chat, 'Seeded rye', 5), 'Delivery');
    // The zones say up front that this cart travels free.
    expect(zones).toContain('1. Camden (free)\n2. Islington (free)');
    await tap(chat, zones, 'Camden');
    expect(await say(chat, '12')).toContain('Please type the full address');
    await say(chat, '5 Jamestown Road, NW1 7BY');
    await say(chat, 'Caio');
    await say(chat, '07700 900123');
    const summary = await say(chat, 'skip');
    expect(summary).toContain('Subtotal: £31.00\nDelivery fee: free\nTotal: £31.00\n\nDelivery to 5 Jamestown Road, NW1 7BY (Camden)');
    await tap(chat, summary, 'Confirm order');
    expect(await orderOf('free-caio')).toMatchObject({ zone: 'Camden', address: '5 Jamestown Road, NW1 7BY', feeMinor: 0, totalMinor: 3100 });
  });

  it('lets the customer change how they receive it and their items from the summary, and remembers their name for the next order', async () => {
    const chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'edit-duda', locale: 'pt-BR' });
    const welcome = await say(chat, 'oi');
    await tap(chat, await tap(chat, welcome, 'Bread'), 'Baguette');
    await say(chat, '4');
    const how = await tap(chat, await say(chat, 'carrinho'), 'Finalizar');
    await tap(chat, how, 'Retirar na loja');
    await say(chat, 'Duda');
    await say(chat, '(11) 91234-5678');
    const summary = await say(chat, 'pular');
    expect(summary).toContain('Retirada em 12 Chalcot Road, London NW1');
    const howAgain = await tap(chat, summary, 'Alterar como receber');
    expect(howAgain).toContain('Como você quer receber o pedido?');
    await tap(chat, await tap(chat, howAgain, 'Entrega'), 'Camden');
    expect(await say(chat, 'Rua de Teste 10, Camden')).toContain('Em nome de quem fica o pedido?');
    await say(chat, 'Duda Lima');
    await say(chat, '(11) 91234-5678');
    const delivery = await say(chat, 'pular');
    expect(delivery).toContain('Taxa de entrega: £ 2,50');
    expect(delivery).toContain('Entrega em Rua de Teste 10, Camden (Camden)\nNome: Duda Lima\nTelefone: 11912345678');
    const cart = await tap(chat, delivery, 'Alterar itens');
    expect(cart).toContain('Seu carrinho');
    expect(await rt.db.order.count({ where: { customer: { externalId: 'edit-duda' } } })).toBe(0);
    // From the cart again: the same choices are asked afresh and confirmed.
    await tap(chat, await tap(chat, await tap(chat, cart, 'Finalizar'), 'Entrega'), 'Camden');
    await say(chat, 'Rua de Teste 10, Camden');
    await say(chat, 'Duda Lima');
    await say(chat, '(11) 91234-5678');
    await tap(chat, await say(chat, 'pular'), 'Confirmar pedido');
    expect(await orderOf('edit-duda')).toMatchObject({ customerName: 'Duda Lima', feeMinor: 250, totalMinor: 1530 });
    // The next order offers the name and uses the phone given last time.
    await tap(chat, await tap(chat, await say(chat, 'carrinho'), 'Continuar comprando'), 'Baguette');
    await say(chat, '4');
    const pickup = await tap(chat, await say(chat, 'carrinho'), 'Finalizar');
    const name = await tap(chat, pickup, 'Retirar na loja');
    expect(name).toContain('Deixamos o pedido em nome de Duda Lima?');
    expect(await tap(chat, name, 'Sim, Duda Lima')).toContain('Alguma observação para a loja');
    expect(await say(chat, 'pular')).toContain('Retirada em 12 Chalcot Road, London NW1\nNome: Duda Lima\nTelefone: 11912345678');
  });
});

describe('a business without fulfilment:, and one whose setting is wrong', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'vitrine-fulfilment-'));
  let plainRt: TestRuntime | undefined;
  afterAll(async () => {
    await plainRt?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('checks out as before: no question, no fee, no fulfilment on the order', async () => {
    plainRt = await createTestRuntime();
    const chat = createTestConversation(plainRt.engine, { botId: 'directory', customerId: 'plain-eva', locale: 'pt-BR' });
    await say(chat, 'oi');
    const shop = await tap(chat, await say(chat, 'padaria'), 'Padaria São Jorge');
    await tap(chat, await tap(chat, shop, 'Salgados'), 'Pão de queijo');
    await say(chat, '2');
    expect(await tap(chat, await say(chat, 'carrinho'), 'Finalizar compra')).toMatch(/Pedido VT-[A-Z0-9]{6} registrado/);
    const order = await plainRt.db.order.findFirstOrThrow({ where: { customer: { externalId: 'plain-eva' } } });
    expect(order).toMatchObject({ fulfilment: null, feeMinor: 0, customerName: null });
  });

  it('seats a dine-in order at its table: no fee, the table in the summary and on the order', async () => {
    const bot = path.join(root, 'dine-in-bakery');
    cpSync(path.join(BOTS_DIR, 'corner-bakery'), bot, { recursive: true });
    const file = path.join(bot, 'bot.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/ {2}fulfilment:[\s\S]*$/, [
      '  fulfilment:',
      '    pickup: { address: "12 Chalcot Road, London NW1" }',
      '    dineIn: { askTable: true }',
      '    ask: { note: false }',
      '',
    ].join('\n')));
    const dineRt = await createTestRuntime({ botDirs: [bot] });
    try {
      const chat = createTestConversation(dineRt.engine, { botId: 'corner-bakery', customerId: 'dine-in-rui', locale: 'en-GB' });
      const how = await checkOut(chat, 'White sourdough', 1);
      expect(await tap(chat, how, 'Eat here')).toContain('What is your table number?');
      expect(await say(chat, '7')).toContain('What name should we put on the order?');
      // "Ola" is a name here, though it is also a greeting.
      expect(await say(chat, 'Ola')).toContain('What phone number can the shop reach you on?');
      const summary = await say(chat, '020 7946 0002');
      expect(summary).toContain('Eat here, table 7');
      expect(summary).toContain('Total: £5.50');
      expect(await tap(chat, summary, 'Confirm order')).toMatch(/Order CB-[A-Z0-9]{6} is placed: £5\.50\./);
      const order = await dineRt.db.order.findFirstOrThrow({ where: { customer: { externalId: 'dine-in-rui' } } });
      expect(order).toMatchObject({ fulfilment: 'dine-in', tableNumber: '7', feeMinor: 0, totalMinor: 550, customerName: 'Ola', address: null, note: null });
    } finally {
      await dineRt.dispose();
    }
  });

  it('names file, line and path of each bad fulfilment setting', async () => {
    const bot = path.join(root, 'corner-bakery');
    cpSync(path.join(BOTS_DIR, 'corner-bakery'), bot, { recursive: true });
    const file = path.join(bot, 'bot.yaml');
    const bad = readFileSync(file, 'utf8').replace(/ {2}fulfilment:[\s\S]*$/, [
      '  fulfilment:',
      '    delivery:',
      '      zones:',
      '        - { name: Camden, fee: "2.505" }',
      '        - { name: Camden }',
      '      minimumOrder: "ten"',
      '    takeaway: true',
      '',
    ].join('\n'));
    writeFileSync(file, bad);
    const error = await createTestRuntime({ botDirs: [bot] }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map(formatProblem).join('\n');
    expect(problems).toMatch(/bot\.yaml:\d+:\d+ business\.fulfilment: .*takeaway/);
    writeFileSync(file, bad.replace('    takeaway: true\n', ''));
    const second = await createTestRuntime({ botDirs: [bot] }).catch((err: unknown) => err);
    const listed = (second as ConfigError).problems.map(formatProblem).join('\n');
    expect(listed).toMatch(/bot\.yaml:\d+:\d+ business\.fulfilment\.delivery\.zones\[0\]\.fee: bad amount: "2\.505" has 3 decimals but GBP has 2/);
    expect(listed).toMatch(/bot\.yaml:\d+:\d+ business\.fulfilment\.delivery\.zones\[1\]\.name: duplicate zone "Camden"/);
    expect(listed).toMatch(/business\.fulfilment\.delivery\.zones\[1\]\.fee: zone "Camden" has no fee/);
    expect(listed).toMatch(/business\.fulfilment\.delivery\.minimumOrder: bad amount/);
    writeFileSync(file, bad.replace(/ {2}fulfilment:[\s\S]*$/, '  fulfilment: {}\n'));
    const empty = await createTestRuntime({ botDirs: [bot] }).catch((err: unknown) => err);
    expect((empty as ConfigError).problems.map(formatProblem).join('\n')).toMatch(/bot\.yaml:\d+:\d+ business\.fulfilment: offer at least one way to receive an order/);
  });
});

describe('a payment page of an order with a delivery fee', () => {
  it('has the fee as a line of its own, so Stripe charges the order\'s total', () => {
    const params = checkoutSessionParams({
      id: 'o1', number: 'CB-1', version: 0, businessId: 'b', businessName: 'Corner Bakery', country: 'GB', conversationId: 'c', currency: 'GBP', totalMinor: 1570, locale: 'en-GB',
      items: [{ sku: 'RYE', name: 'Seeded rye', unitPriceMinor: 620, quantity: 1 }, { sku: 'SD', name: 'White sourdough', unitPriceMinor: 550, quantity: 1 }],
      feeMinor: 400, feeLabel: 'Delivery fee (Islington)',
    }, { successUrl: 'https://shop.example/ok', cancelUrl: 'https://shop.example/no' });
    const lines = params.line_items ?? [];
    expect(lines.at(-1)).toEqual({ quantity: 1, price_data: { currency: 'gbp', unit_amount: 400, product_data: { name: 'Delivery fee (Islington)' } } });
    expect(lines.reduce((sum, l) => sum + (l.quantity ?? 0) * Number(l.price_data?.unit_amount ?? 0), 0)).toBe(1570);
  });
});

describe('the staff\'s notice of a new order', () => {
  it('says where to deliver, with a map link for a pin, the fee and the note, in the shop\'s language', async () => {
    const i18n = await createI18n({ defaults: standardTexts() });
    const text = staffNoticeText({
      id: 'ntc_1', type: 'order.placed', createdAt: '2026-12-05T18:00:00.000Z', conversationId: 'c',
      business: { id: 'b', slug: 'corner-bakery', name: 'Corner Bakery' }, customer: { channel: 'webchat', id: 'web-1', name: 'Bia', phone: '02079460001' },
      order: {
        id: 'o', number: 'CB-1', status: 'awaiting_payment', currency: 'GBP', totalMinor: 1570, items: [{ sku: 'RYE', name: 'Seeded rye', quantity: 1, unitPriceMinor: 1170, lineTotalMinor: 1170 }],
        fulfilment: { method: 'delivery', zone: 'Islington', address: null, location: { latitude: 51.5416, longitude: -0.1027 }, table: null, note: 'Ring twice', feeMinor: 400 },
      },
    }, i18n.t('corner-bakery', 'en-GB'), 'en-GB');
    expect(text).toBe('New order CB-1 at Corner Bakery: 1 × Seeded rye. Total £15.70, awaiting payment. Customer: Bia, 02079460001, web-1 (webchat). '
      + 'Delivery to (Islington) https://www.openstreetmap.org/?mlat=51.5416&mlon=-0.1027#map=18/51.5416/-0.1027, fee £4.00. Note: Ring twice');
  });
});
