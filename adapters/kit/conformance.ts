import { describe, expect, it } from 'vitest';
import { isVitrineError, type ChannelAdapter, type ChoiceMessage, type OutboundMessage, type ProductView } from '../../engine/index.ts';
import { charLength } from './degrade.ts';

/** A rendered channel message described generically, so the suite can check it. */
export interface RenderedShape {
  /** Every piece of visible text (body, caption …). */
  texts: string[];
  /** Reply buttons (not link buttons). */
  buttons: { id: string; title: string }[];
  /** List rows. */
  rows: { id: string; title: string; description?: string }[];
}

/** What the suite needs to know about an adapter. */
export interface ConformanceSamples<Rendered> {
  /** Describes one rendered message. */
  describe(rendered: Rendered): RenderedShape;
  /** Raw payloads the channel really sends, each parsing to at least one message. */
  valid: unknown[];
  /** Channel-specific malformed payloads, on top of the suite's own. */
  malformed?: unknown[];
  /** The raw payload of a customer tapping a button or row with this id, to check ids survive the round trip. */
  tap?: (id: string) => unknown;
}

const product = (n: number, image = true): ProductView => ({
  id: `p${n}`, sku: `SKU-${n}`, name: `Product ${n}`, description: 'Baked this morning.', inStock: true,
  price: { minor: 990, currency: 'GBP', formatted: '£9.90' }, ...(image ? { imageUrl: `https://images.example.com/${n}.jpg` } : {}),
});
const line = { productId: 'p1', sku: 'SKU-1', name: 'Product 1', quantity: 2, unitPrice: '£9.90', lineTotal: '£19.80' };

/** One message of every outbound kind, with a few variants. */
export const SAMPLE_MESSAGES: OutboundMessage[] = [
  { kind: 'text', text: 'Hello!' },
  { kind: 'text', text: 'long '.repeat(2000) },
  { kind: 'choice', text: 'Pick one', options: [{ id: 'a', label: 'Apples' }, { id: 'b', label: 'Bread' }] },
  { kind: 'choice', text: 'How many?', numbered: false, options: [{ id: 'qty:1', label: 'Add 1' }, { id: 'intent:back', label: 'Back' }] },
  { kind: 'choice', text: 'Categories', options: Array.from({ length: 6 }, (_, i) => ({ id: `category:${i}`, label: `Category ${i}`, description: `${i} products` })) },
  { kind: 'product', product: product(1) },
  { kind: 'product', product: product(2, false), text: 'Here it is' },
  { kind: 'productList', title: 'Bread', products: [product(1), product(2)], footer: 'Page 1 of 1' },
  { kind: 'cart', title: 'Your cart', lines: [line], total: '£19.80', totalMinor: 1980, currency: 'GBP', empty: false },
  { kind: 'cart', title: 'Your cart is empty', lines: [], total: '£0.00', totalMinor: 0, currency: 'GBP', empty: true },
  { kind: 'paymentLink', text: 'Pay for order VT-1', url: 'https://pay.example/s/1', label: 'Pay £19.80', amount: '£19.80', orderNumber: 'VT-1' },
  { kind: 'orderStatus', text: 'Order VT-1 is paid', orderNumber: 'VT-1', status: 'paid', statusLabel: 'paid', total: '£19.80', lines: [line] },
  { kind: 'image', url: 'https://images.example.com/shop.jpg', caption: 'Our shop' },
  { kind: 'handoff', text: 'A person will answer soon.' },
];

/** 15 options with 40-character labels: too many for buttons and too long for most lists. */
export const LONG_CHOICE: ChoiceMessage = {
  kind: 'choice',
  text: 'Which one?',
  options: Array.from({ length: 15 }, (_, i) => ({ id: `product:${String(i).padStart(2, '0')}-${'x'.repeat(24)}`, label: `Option ${String(i + 1).padStart(2, '0')} ${'with a long name '.repeat(3)}`.slice(0, 40) })),
};

const MALFORMED: unknown[] = [null, undefined, 'text', 42, true, [], {}, { text: 7 }, { entry: 'x' }, { update_id: 'x' }, [null], { message: null }];

/**
 * Registers vitest tests every channel adapter must pass: each outbound kind
 * renders within the adapter's declared capabilities; a long choice (15 options,
 * 40-character labels) degrades without losing an option; malformed payloads
 * give `{ ok: false, error }` with a `VT_ERR_CHANNEL_PAYLOAD` error and never throw.
 *
 * @example
 * ```ts
 * runAdapterConformance('console', () => createConsoleAdapter({ write: () => {} }), {
 *   describe: (text) => ({ texts: [text], buttons: [], rows: [] }),
 *   valid: [{ customerId: 'ana', text: 'hi', messageId: 'm1' }],
 * });
 * ```
 */
export function runAdapterConformance<Rendered>(name: string, makeAdapter: () => ChannelAdapter<Rendered>, samples: ConformanceSamples<Rendered>): void {
  describe(`${name} adapter conformance`, () => {
    const shapesOf = (adapter: ChannelAdapter<Rendered>, message: OutboundMessage): RenderedShape[] =>
      adapter.render(message, { locale: 'en' }).map((r) => samples.describe(r));

    it('renders every outbound kind within its declared capabilities', () => {
      const adapter = makeAdapter();
      const caps = adapter.capabilities;
      for (const message of [...SAMPLE_MESSAGES, LONG_CHOICE]) {
        const shapes = shapesOf(adapter, message);
        expect(shapes.length, `${message.kind} renders to at least one message`).toBeGreaterThan(0);
        for (const shape of shapes) {
          for (const text of shape.texts) expect(charLength(text), `${message.kind} text length`).toBeLessThanOrEqual(caps.maxTextLength);
          expect(shape.buttons.length, `${message.kind} buttons`).toBeLessThanOrEqual(caps.maxButtons);
          for (const b of shape.buttons) expect(charLength(b.title), `button "${b.title}"`).toBeLessThanOrEqual(caps.maxButtonTitle);
          expect(shape.rows.length, `${message.kind} rows`).toBeLessThanOrEqual(caps.maxListRows);
          for (const r of shape.rows) expect(charLength(r.title), `row "${r.title}"`).toBeLessThanOrEqual(caps.maxListRowTitle);
        }
      }
    });

    it('keeps every option of a long choice, each label in full', () => {
      const adapter = makeAdapter();
      const shapes = shapesOf(adapter, LONG_CHOICE);
      const visible = shapes.flatMap((s) => [...s.texts, ...s.buttons.map((b) => b.title), ...s.rows.flatMap((r) => [r.title, r.description ?? ''])]).join('\n');
      for (const option of LONG_CHOICE.options) expect(visible, `option "${option.label}"`).toContain(option.label);
      const tappable = shapes.flatMap((s) => [...s.buttons, ...s.rows]);
      if (tappable.length > 0) expect(tappable).toHaveLength(LONG_CHOICE.options.length);
    });

    it('keeps every option of a short choice tappable or numbered', () => {
      const adapter = makeAdapter();
      for (const message of SAMPLE_MESSAGES.filter((m): m is ChoiceMessage => m.kind === 'choice')) {
        const shapes = shapesOf(adapter, message);
        const tappable: { id: string; title: string; description?: string }[] = shapes.flatMap((s) => [...s.buttons, ...s.rows]);
        const text = shapes.flatMap((s) => s.texts).join('\n');
        for (const option of message.options) {
          const tapped = tappable.some((t) => t.title === option.label || t.description === option.label);
          expect(tapped || text.includes(option.label), `option "${option.label}"`).toBe(true);
        }
        if (samples.tap && tappable.length > 0) {
          const tap = samples.tap;
          const back = tappable.map((t) => {
            const parsed = adapter.parse(tap(t.id), { botId: 'conformance' });
            return parsed.ok && parsed.messages[0]?.kind === 'choice' ? parsed.messages[0].optionId : undefined;
          });
          expect(back).toEqual(message.options.map((o) => o.id));
        }
      }
    });

    it('parses the payloads the channel sends', () => {
      const adapter = makeAdapter();
      for (const raw of samples.valid) {
        const parsed = adapter.parse(raw, { botId: 'conformance' });
        expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
        if (parsed.ok) {
          expect(parsed.messages.length).toBeGreaterThan(0);
          for (const m of parsed.messages) {
            expect(m.channel).toBe(adapter.channel);
            expect(m.messageId).not.toBe('');
            expect(m.customer.id).not.toBe('');
          }
        }
      }
    });

    it('answers malformed payloads with { ok: false, error: VT_ERR_CHANNEL_PAYLOAD } and never throws', () => {
      const adapter = makeAdapter();
      for (const raw of [...MALFORMED, ...(samples.malformed ?? [])]) {
        let parsed: ReturnType<typeof adapter.parse> | undefined;
        expect(() => { parsed = adapter.parse(raw, { botId: 'conformance' }); }, JSON.stringify(raw) ?? 'undefined').not.toThrow();
        expect(parsed?.ok, `${JSON.stringify(raw)} is refused`).toBe(false);
        if (parsed && !parsed.ok) expect(isVitrineError(parsed.error, 'VT_ERR_CHANNEL_PAYLOAD'), `${JSON.stringify(raw)} is a VT_ERR_CHANNEL_PAYLOAD`).toBe(true);
      }
    });
  });
}
