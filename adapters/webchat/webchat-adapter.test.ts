import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OrderStatus, OutboundMessage, ProductView } from '../../engine/index.ts';
import { createWebchatAdapter, type WebchatMessage, type WebchatSocket } from './index.ts';

const bread: ProductView = {
  id: 'p1', sku: 'PAO', name: 'Pão francês', description: 'Crocante', inStock: true,
  price: { minor: 90, currency: 'BRL', formatted: 'R$0.90' }, imageUrl: 'javascript:alert(1)',
};

function socket(open = true): WebchatSocket & { sent: string[] } {
  const sent: string[] = [];
  return { readyState: open ? 1 : 3, sent, send: (data) => sent.push(data) };
}

describe('web chat adapter', () => {
  const adapter = createWebchatAdapter();

  it('parses typed text and taps into inbound messages scoped to the customer', () => {
    const text = adapter.parse({ customerId: 'cust-0001', locale: 'pt-BR', frame: '{"v":1,"type":"text","id":"a1","text":"padaria"}' }, { botId: 'directory' });
    expect(text).toMatchObject({ ok: true, messages: [{ kind: 'text', text: 'padaria', messageId: 'cust-0001:a1', channel: 'webchat', customer: { id: 'cust-0001', locale: 'pt-BR' } }] });
    const tap = adapter.parse({ customerId: 'cust-0001', frame: { v: 1, type: 'choice', id: 'a2', optionId: 'business:x' } }, { botId: 'directory' });
    expect(tap).toMatchObject({ ok: true, messages: [{ kind: 'choice', optionId: 'business:x' }] });
  });

  it('refuses malformed frames with a reason instead of throwing', () => {
    for (const frame of ['{', '[]', '{"v":1,"type":"text","id":"x"}', '{"v":9,"type":"text","id":"x","text":"a"}', null]) {
      const result = adapter.parse({ customerId: 'cust-0001', frame }, { botId: 'directory' });
      expect(result.ok).toBe(false);
    }
    expect(adapter.parse(null, { botId: 'directory' }).ok).toBe(false);
  });

  it('renders product options as cards and drops unsafe image and payment URLs', () => {
    const choice: OutboundMessage = { kind: 'choice', text: 'Pick', options: [{ id: 'product:p1', label: 'Pão francês', product: bread }, { id: 'intent:cart', label: 'View cart' }] };
    const [frame] = adapter.render(choice, { locale: 'pt-BR' });
    expect(frame).toEqual({ v: 1, type: 'message', message: { kind: 'choice', text: 'Pick', options: [
      { id: 'product:p1', label: 'Pão francês', product: { id: 'p1', name: 'Pão francês', description: 'Crocante', price: 'R$0.90', inStock: true } },
      { id: 'intent:cart', label: 'View cart' },
    ] } });
    const pay: OutboundMessage = { kind: 'paymentLink', text: 'Pay', url: 'javascript:steal()', label: 'Pay now', amount: 'R$1', orderNumber: 'VT-1' };
    expect(adapter.render(pay, { locale: 'en' })[0]).toMatchObject({ message: { kind: 'text' } });
    const safe: OutboundMessage = { ...pay, url: 'https://checkout.stripe.com/c/pay/x' };
    expect(adapter.render(safe, { locale: 'en' })[0]).toMatchObject({ message: { kind: 'paymentLink', url: 'https://checkout.stripe.com/c/pay/x' } });
  });

  it('falls back to numbered text when a choice has more options than a list holds', () => {
    const options = Array.from({ length: 40 }, (_, i) => ({ id: `o${i}`, label: `Option ${i}` }));
    const [frame] = adapter.render({ kind: 'choice', text: 'Pick', options }, { locale: 'en' });
    expect(frame).toMatchObject({ message: { kind: 'text', text: expect.stringContaining('40. Option 39') } });
  });

  it('falls back to bullets, not numbers, when the step reads its own numbers (numbered: false)', () => {
    const options = Array.from({ length: 40 }, (_, i) => ({ id: `qty:${i + 1}`, label: `Add ${i + 1}` }));
    const frames = adapter.render({ kind: 'choice', text: 'How many?', numbered: false, options }, { locale: 'en' });
    const text = frames.map((f) => (f.type === 'message' && f.message.kind === 'text' ? f.message.text : '')).join('\n');
    expect(text.split('\n')).toEqual(['How many?', ...options.map((o) => `• ${o.label}`)]);
    expect(text).not.toMatch(/^\d+\. /m);
  });

  it('splits a text longer than the channel shows into several messages, dropping nothing', () => {
    const long = `${'a'.repeat(4000)}\n${'b'.repeat(1000)}`;
    const frames = adapter.render({ kind: 'text', text: long }, { locale: 'en' });
    expect(frames.map((f) => (f.type === 'message' && f.message.kind === 'text' ? f.message.text : ''))).toEqual(['a'.repeat(4000), 'b'.repeat(1000)]);
  });

  it('renders an order summary with its status, typed as an order status', () => {
    const line = { productId: 'p1', sku: 'PAO', name: 'Pão francês', quantity: 3, unitPrice: 'R$0.90', lineTotal: 'R$2.70' };
    const [frame] = adapter.render({ kind: 'orderStatus', text: 'Pedido VT-1: pago', orderNumber: 'VT-1', status: 'paid', statusLabel: 'pago', total: 'R$2.70', lines: [line] }, { locale: 'pt-BR' });
    expect(frame).toMatchObject({ type: 'message', message: { kind: 'orderStatus', orderNumber: 'VT-1', status: 'paid', statusLabel: 'pago', lines: [line] } });
    expectTypeOf<Extract<WebchatMessage, { kind: 'orderStatus' }>['status']>().toEqualTypeOf<OrderStatus>();
  });

  it("sends to every open socket of the customer and to no one else's", async () => {
    const mine = socket();
    const tab2 = socket();
    const closed = socket(false);
    const theirs = socket();
    const to = { botId: 'directory', customerId: 'cust-0001' };
    const off = adapter.connect(to, mine);
    adapter.connect(to, tab2);
    adapter.connect(to, closed);
    adapter.connect({ botId: 'directory', customerId: 'cust-0002' }, theirs);
    await adapter.send(to, adapter.render({ kind: 'text', text: 'Paid!' }, { locale: 'en' }));
    expect(mine.sent).toEqual(['{"v":1,"type":"message","message":{"kind":"text","text":"Paid!"}}']);
    expect(tab2.sent).toHaveLength(1);
    expect(closed.sent).toEqual([]);
    expect(theirs.sent).toEqual([]);
    off();
    expect(adapter.connections(to)).toBe(1);
    await expect(adapter.send({ botId: 'directory', customerId: 'nobody-here' }, [])).rejects.toMatchObject({ code: 'VT_ERR_CHANNEL_SEND' });
  });
});
