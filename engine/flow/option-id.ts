import { GLOBAL_INTENTS, type GlobalIntent } from './flow-schema.ts';
import type { StepInput } from './step.ts';

/** An intent an option can stand for: a global intent, or a greeting. */
export type OptionIntent = GlobalIntent | 'greeting';

/** What the customer can do with their cart from its menu. */
export const CART_ACTIONS = ['checkout', 'continue', 'clear'] as const;

/** What the customer can do while an order waits for payment. */
export const PAYMENT_ACTIONS = ['newLink', 'cancel', 'shopAgain'] as const;

/** Where the catalog's navigation options lead. */
export const CATALOG_PAGES = ['more', 'categories'] as const;

/**
 * What an option of a standard step means: the id a channel sends back when
 * the customer taps it, decoded. Ids of businesses, categories and products
 * are the database ids (never empty).
 *
 * | option                          | id on the wire             |
 * |---------------------------------|----------------------------|
 * | `{ kind: 'business', businessId }` | `business:<id>`         |
 * | `{ kind: 'category', categoryId }` | `category:<id>`         |
 * | `{ kind: 'product', productId }`   | `product:<id>`          |
 * | `{ kind: 'quantity', quantity }`   | `qty:<n>`               |
 * | `{ kind: 'intent', intent }`       | `intent:<intent>`       |
 * | `{ kind: 'catalog', page }`        | `nav:more`, `nav:categories` |
 * | `{ kind: 'cart', action }`         | `cart:checkout` …       |
 * | `{ kind: 'cartEdit', productId }`  | `cart:edit:<id>`        |
 * | `{ kind: 'cartSet', productId, quantity }` | `cart:set:<id>:<n>` |
 * | `{ kind: 'payment', action }`      | `payment:newLink` …     |
 * | `{ kind: 'choose', choice }`       | `choose:<id>`           |
 */
export type OptionId =
  | { kind: 'business'; businessId: string }
  | { kind: 'category'; categoryId: string }
  | { kind: 'product'; productId: string }
  | { kind: 'quantity'; quantity: number }
  | { kind: 'intent'; intent: OptionIntent }
  | { kind: 'catalog'; page: (typeof CATALOG_PAGES)[number] }
  | { kind: 'cart'; action: (typeof CART_ACTIONS)[number] }
  | { kind: 'cartEdit'; productId: string }
  | { kind: 'cartSet'; productId: string; quantity: number }
  | { kind: 'payment'; action: (typeof PAYMENT_ACTIONS)[number] }
  | { kind: 'choose'; choice: string };

/** The kinds of {@link OptionId}. */
export type OptionKind = OptionId['kind'];

/**
 * The id of an option, as put in a `choice` message.
 *
 * @example
 * ```ts
 * encodeOptionId({ kind: 'cartSet', productId: 'p1', quantity: 0 }); // 'cart:set:p1:0'
 * ```
 */
export function encodeOptionId(option: OptionId): string {
  switch (option.kind) {
    case 'business': return `business:${option.businessId}`;
    case 'category': return `category:${option.categoryId}`;
    case 'product': return `product:${option.productId}`;
    case 'quantity': return `qty:${option.quantity}`;
    case 'intent': return `intent:${option.intent}`;
    case 'catalog': return `nav:${option.page}`;
    case 'cart': return `cart:${option.action}`;
    case 'cartEdit': return `cart:edit:${option.productId}`;
    case 'cartSet': return `cart:set:${option.productId}:${option.quantity}`;
    case 'payment': return `payment:${option.action}`;
    case 'choose': return `choose:${option.choice}`;
  }
}

const QUANTITY = /^\d{1,6}$/;
const CHOICE = /^[a-zA-Z]\w*$/;

const oneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);
const quantityOf = (text: string): number | undefined => (QUANTITY.test(text) ? Number(text) : undefined);

function decodeCart(rest: string): OptionId | undefined {
  if (oneOf(CART_ACTIONS, rest)) return { kind: 'cart', action: rest };
  if (rest.startsWith('edit:')) {
    const productId = rest.slice('edit:'.length);
    return productId ? { kind: 'cartEdit', productId } : undefined;
  }
  if (rest.startsWith('set:')) {
    const body = rest.slice('set:'.length);
    const cut = body.lastIndexOf(':');
    const productId = body.slice(0, cut);
    const quantity = quantityOf(body.slice(cut + 1));
    return cut > 0 && quantity !== undefined ? { kind: 'cartSet', productId, quantity } : undefined;
  }
  return undefined;
}

/**
 * What an option id means, or `undefined` when it is not one of the standard
 * steps' ids (a custom step's own id, or a malformed one: `qty:x`, `business:`).
 * Decoding what {@link encodeOptionId} made gives the option back.
 *
 * @example
 * ```ts
 * decodeOptionId('cart:set:p1:2'); // { kind: 'cartSet', productId: 'p1', quantity: 2 }
 * decodeOptionId('qty:many');      // undefined
 * ```
 */
export function decodeOptionId(id: string): OptionId | undefined {
  const cut = id.indexOf(':');
  if (cut <= 0) return undefined;
  const prefix = id.slice(0, cut);
  const rest = id.slice(cut + 1);
  switch (prefix) {
    case 'business': return rest ? { kind: 'business', businessId: rest } : undefined;
    case 'category': return rest ? { kind: 'category', categoryId: rest } : undefined;
    case 'product': return rest ? { kind: 'product', productId: rest } : undefined;
    case 'qty': {
      const quantity = quantityOf(rest);
      return quantity === undefined ? undefined : { kind: 'quantity', quantity };
    }
    case 'intent': return oneOf([...GLOBAL_INTENTS, 'greeting'] as const, rest) ? { kind: 'intent', intent: rest } : undefined;
    case 'nav': return oneOf(CATALOG_PAGES, rest) ? { kind: 'catalog', page: rest } : undefined;
    case 'cart': return decodeCart(rest);
    case 'payment': return oneOf(PAYMENT_ACTIONS, rest) ? { kind: 'payment', action: rest } : undefined;
    case 'choose': return CHOICE.test(rest) ? { kind: 'choose', choice: rest } : undefined;
    default: return undefined;
  }
}

/**
 * The option a step input taps, decoded; `undefined` for anything else (text,
 * a system event, an id that is not a standard one).
 *
 * @example
 * ```ts
 * const option = tappedOption(input);
 * if (option?.kind === 'product') return { set: { productId: option.productId }, outcome: 'product' };
 * ```
 */
export function tappedOption(input: StepInput): OptionId | undefined {
  return input.kind === 'choice' ? decodeOptionId(input.optionId) : undefined;
}
