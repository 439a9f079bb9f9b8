import { describe, expect, it } from 'vitest';
import { createTestConversation } from '../../adapters/console/index.ts';
import { createTestRuntime, onEachDatabase, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

let rt: TestRuntime;
onEachDatabase((runtime) => {
  rt = runtime;
}, () => {
  const chatAs = (customerId: string, locale?: string) =>
    createTestConversation(rt.engine, { botId: 'directory', customerId, ...(locale ? { locale } : {}) });

  describe('a whole purchase in Brazilian Portuguese', () => {
    it('finds the bakery, adds pão de queijo, checks out to a test payment link and records the order from database prices', async () => {
      const chat = chatAs('ana-br', 'pt-BR');
      expect(plain(await chat.say('oi'))).toContain('O que você está procurando?');
      const found = await chat.say('padaria');
      expect(found).toContain('Padaria São Jorge');
      const shop = await chat.say(optionNumber(found, 'Padaria São Jorge'));
      expect(shop).toContain('Boas-vindas');
      const salgados = await chat.say(optionNumber(shop, 'Salgados'));
      expect(plain(salgados)).toContain('Pão de queijo (R$ 12,50)');
      const product = await chat.say(optionNumber(salgados, 'Pão de queijo'));
      expect(plain(product)).toContain('R$ 12,50');
      expect(plain(await chat.say('3'))).toContain('3 × Pão de queijo');
      const cart = plain(await chat.say('carrinho'));
      expect(cart).toContain('3 × Pão de queijo: R$ 37,50');
      expect(cart).toContain('= R$ 37,50');
      const done = plain(await chat.say(optionNumber(cart, 'Finalizar compra')));
      expect(done).toMatch(/Pedido VT-[A-Z0-9]{6} registrado: R\$ 37,50/);
      // The example bots pay through the sandbox: a link marked as a test, to a page on this server.
      expect(done).toContain('Pagamento de TESTE — nenhum dinheiro é movimentado');
      expect(done).toMatch(/Pagar R\$ 37,50 \(teste\): http:\/\/localhost:3000\/sandbox\/pay\/sbx_\S+_v\d+$/);

      // The saved conversation keeps its state, not the turn's replies or the input it handled.
      const saved = await rt.db.conversation.findFirstOrThrow({ where: { customer: { externalId: 'ana-br' } } });
      const context = (JSON.parse(saved.snapshot) as { context: Record<string, unknown> }).context;
      expect(context).toMatchObject({ locale: 'pt-BR', trail: expect.arrayContaining(['browse']) });
      expect(context).not.toHaveProperty('outbox');
      expect(context).not.toHaveProperty('pending');
      expect(saved.snapshot).not.toContain('Pedido VT-');

      const orders = await rt.db.order.findMany({ where: { conversation: { customer: { externalId: 'ana-br' } } }, include: { items: true } });
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ status: 'awaiting_payment', totalMinor: 3750, currency: 'BRL', provider: 'sandbox' });
      expect(orders[0]?.items).toEqual([expect.objectContaining({ sku: 'PAO-QUEIJO', quantity: 3, unitPriceMinor: 1250, lineTotalMinor: 3750 })]);
    });
  });

  describe('a purchase in Mexican Spanish with pagination', () => {
    it('finds "tacos cdmx", pages with "más" and totals in pesos', async () => {
      const chat = chatAs('beto-mx', 'es-MX');
      await chat.say('hola');
      const found = await chat.say('tacos cdmx');
      expect(found.split('\n')[1]).toContain('Taquería El Güero');
      const shop = await chat.say('1');
      const tacos = plain(await chat.say(optionNumber(shop, 'Tacos')));
      expect(tacos).toContain('Orden de tacos al pastor ($45.00)');
      expect(tacos).toMatch(/página 1 de 2/);
      const page2 = plain(await chat.say(optionNumber(tacos, 'Más')));
      expect(page2).toMatch(/página 2 de 2/);
      expect(page2).not.toContain('tacos al pastor');
      await chat.say('categorías');
      const again = plain(await chat.say(optionNumber(shop, 'Tacos')));
      await chat.say(optionNumber(again, 'tacos al pastor'));
      expect(plain(await chat.say('2'))).toContain('$90.00');
      const order = plain(await chat.say('carrito'));
      expect(order).toContain('= $90.00');
    });
  });

  describe('a purchase in Indonesian', () => {
    it('finds the warung and formats rupiah without cents', async () => {
      const chat = chatAs('citra-id', 'id');
      await chat.say('halo');
      const found = await chat.say('warung');
      const shop = await chat.say(optionNumber(found, 'Warung Makan Bu Sri'));
      const food = plain(await chat.say(optionNumber(shop, 'Makanan')));
      expect(food).toContain('Nasi goreng spesial (Rp 15.000)');
      await chat.say(optionNumber(food, 'Nasi goreng spesial'));
      expect(plain(await chat.say('2'))).toContain('Rp 30.000');
      const cart = plain(await chat.say('keranjang'));
      const done = plain(await chat.say(optionNumber(cart, 'Checkout')));
      expect(done).toMatch(/VT-[A-Z0-9]{6}/);
      const order = await rt.db.order.findFirstOrThrow({ where: { conversation: { customer: { externalId: 'citra-id' } } } });
      expect(order).toMatchObject({ totalMinor: 3_000_000, currency: 'IDR' });
    });
  });

  describe('searching the directory', () => {
    it('finds businesses despite typos and ranks every word of the query', async () => {
      const chat = chatAs('dora-typos');
      await chat.say('hi');
      expect(await chat.say('padarai')).toContain('Padaria São Jorge');
      expect((await chat.say('bakery london')).split('\n')[1]).toContain('Hackney Bread Co.');
      expect((await chat.say('warnug')).split('\n')[1]).toContain('Warung Makan Bu Sri');
    });

    it('says so when nothing matches, and keeps listening', async () => {
      const chat = chatAs('eli-empty');
      await chat.say('hi');
      expect(await chat.say('zzzxqj')).toContain('I couldn\'t find a shop for "zzzxqj"');
      expect(await chat.say('bakery london')).toContain('Hackney Bread Co.');
    });
  });

  describe('the cart', () => {
    it('rejects quantities outside 1 to 99 and adds nothing', async () => {
      const chat = chatAs('fay-qty');
      await chat.say('hi');
      const shop = await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
      const list = await chat.say('sausage roll');
      await chat.say(optionNumber(list, 'Sausage roll'));
      for (const bad of ['0', '100', '-2', 'lots']) {
        expect(await chat.say(bad)).toContain('Please reply with a whole number from 1 to 99.');
      }
      expect(shop).toContain('Hackney Bread Co.');
      expect(await chat.say('cart')).toContain('Your cart is empty.');
    });

    it('changes a quantity, then removes the last item and shows an empty cart', async () => {
      const chat = chatAs('gus-remove');
      await chat.say('hi');
      await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
      await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
      expect(plain(await chat.say('2'))).toContain('£6.40');
      let cart = await chat.say('cart');
      expect(await chat.say(optionNumber(cart, 'Change Sausage roll'))).toContain('0 removes it');
      cart = plain(await chat.say('5'));
      expect(cart).toContain('5 × Sausage roll: £16.00');
      await chat.say(optionNumber(cart, 'Change Sausage roll'));
      const empty = await chat.say('0');
      expect(empty).toContain('Removed Sausage roll.');
      expect(empty).toContain('Your cart is empty.');
      expect(await rt.db.cartItem.count({ where: { cart: { conversation: { customer: { externalId: 'gus-remove' } } } } })).toBe(0);
    });

    it('does not check out an empty cart', async () => {
      const chat = chatAs('hal-empty');
      await chat.say('hi');
      await chat.say(optionNumber(await chat.say('petals'), 'Petals'));
      await chat.say(optionNumber(await chat.say('tulips'), 'Tulip'));
      await chat.say('1');
      const cart = await chat.say('cart');
      await chat.say(optionNumber(cart, 'Change'));
      await chat.say('0');
      const after = await chat.say('checkout');
      expect(after).not.toMatch(/Order VT-/);
      expect(await rt.db.order.count({ where: { conversation: { customer: { externalId: 'hal-empty' } } } })).toBe(0);
    });
  });

  describe('anywhere in the flow', () => {
    it('answers help, goes back, switches business, starts over and never stays silent', async () => {
      const chat = chatAs('ivy-nav');
      await chat.say('hi');
      expect(await chat.say('help')).toContain('"cart" to see your cart');
      const shop = await chat.say(optionNumber(await chat.say('taqueria'), 'Taquería El Güero'));
      await chat.say(optionNumber(shop, 'Tacos'));
      expect(await chat.say('back')).toContain('What would you like to see at Taquería El Güero?');
      expect(await chat.say('hello')).toContain('What would you like to see at Taquería El Güero?');
      expect(await chat.say('other shop')).toContain('What are you looking for?');
      expect(await chat.say('bakery london')).toContain('Hackney Bread Co.');
      expect(await chat.say('start over')).toContain('Welcome to Vitrine Directory!');
      for (const nonsense of ['🙂', 'asdf qwer', '42']) {
        expect((await chat.say(nonsense)).length).toBeGreaterThan(0);
      }
    });

    it('switches language on request and formats money for it', async () => {
      const chat = chatAs('joe-lang');
      await chat.say('hi');
      expect(await chat.say('Português')).toContain('português');
      expect(await chat.say('xyzzy')).toContain('Não encontrei');
      expect(await chat.say('English please')).toContain("let's continue in English");
    });
  });

  describe('a restarted engine', () => {
    it('continues the conversation, cart included, from the same database', async () => {
      const first = await createTestRuntime({ databaseUrl: rt.databaseUrl });
      const chat = createTestConversation(first.engine, { botId: 'directory', customerId: 'kim-resume' });
      await chat.say('hi');
      await chat.say(optionNumber(await chat.say('hackney bread'), 'Hackney Bread Co.'));
      await chat.say(optionNumber(await chat.say('sausage roll'), 'Sausage roll'));
      await chat.say('2');
      await first.close();

      const second = await createTestRuntime({ databaseUrl: first.databaseUrl });
      try {
        const again = createTestConversation(second.engine, { botId: 'directory', customerId: 'kim-resume' });
        const cart = plain(await again.say('cart'));
        expect(cart).toContain('Your cart at Hackney Bread Co.');
        expect(cart).toContain('2 × Sausage roll: £6.40');
        expect(await again.say(optionNumber(cart, 'Keep shopping'))).toContain('What would you like to see at Hackney Bread Co.?');
      } finally {
        await second.close();
      }
    });
  });
});
