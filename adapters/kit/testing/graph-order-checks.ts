/**
 * The checks the fake Graph API makes on WhatsApp's order messages
 * (`order_details`, `order_status`), field by field, as Meta's Payments API
 * (Brazil) documents them: see `adapters/whatsapp/order-messages.ts` for the pages.
 */

/** Why the Graph API refuses a message: its error code and what was wrong. */
export interface GraphProblem {
  /** 131008: a required parameter is missing; 131009: a parameter value is not valid. */
  code: 131008 | 131009;
  /** The path of the field and what was expected, e.g. `action.parameters.total_amount.offset: expected 100`. */
  details: string;
}

type Check = (value: unknown, path: string) => GraphProblem | undefined;

const missing = (path: string): GraphProblem => ({ code: 131008, details: `${path}: required` });
const invalid = (path: string, expected: string): GraphProblem => ({ code: 131009, details: `${path}: expected ${expected}` });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

const REFERENCE_ID = /^[A-Za-z0-9_.-]{1,35}$/;
const ORDER_STATUSES = ['pending', 'processing', 'partially_shipped', 'shipped', 'completed', 'canceled'];

function text(max: number): Check {
  return (v, path) => {
    if (v === undefined) return missing(path);
    return typeof v === 'string' && v.trim() !== '' && [...v].length <= max ? undefined : invalid(path, `a non-empty string of at most ${max} characters`);
  };
}

function oneOf(values: readonly string[]): Check {
  return (v, path) => (v === undefined ? missing(path) : values.includes(String(v)) && typeof v === 'string' ? undefined : invalid(path, `one of ${values.join(', ')}`));
}

/** `{ value, offset }`: an integer amount with offset 100 (BRL). */
const amount: Check = (v, path) => {
  if (v === undefined) return missing(path);
  if (!isObject(v)) return invalid(path, 'an object { value, offset }');
  if (!isCount(v['value'])) return v['value'] === undefined ? missing(`${path}.value`) : invalid(`${path}.value`, 'a non-negative integer');
  return v['offset'] === 100 ? undefined : invalid(`${path}.offset`, '100');
};

/** Runs checks on the fields of an object, first problem wins. */
function fields(object: Record<string, unknown>, path: string, checks: Record<string, Check>): GraphProblem | undefined {
  for (const [key, check] of Object.entries(checks)) {
    const problem = check(object[key], `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}

const optional = (check: Check): Check => (v, path) => (v === undefined ? undefined : check(v, path));
const minorOf = (v: unknown): number => (isObject(v) && typeof v['value'] === 'number' ? v['value'] : 0);

function itemProblem(item: unknown, path: string): GraphProblem | undefined {
  if (!isObject(item)) return invalid(path, 'an item object');
  const problem = fields(item, path, {
    retailer_id: text(100), name: text(60), amount, sale_amount: optional(amount),
    quantity: (v, p) => (v === undefined ? missing(p) : isCount(v) && v > 0 ? undefined : invalid(p, 'a positive integer')),
  });
  if (problem) return problem;
  return item['sale_amount'] !== undefined && minorOf(item['sale_amount']) >= minorOf(item['amount']) ? invalid(`${path}.sale_amount`, 'less than amount') : undefined;
}

function orderProblem(order: unknown, total: unknown, path: string): GraphProblem | undefined {
  if (!isObject(order)) return invalid(path, 'an order object');
  const problem = fields(order, path, {
    status: oneOf(['pending']), subtotal: amount, tax: amount, shipping: optional(amount), discount: optional(amount),
    items: (v, p) => (Array.isArray(v) && v.length > 0 ? undefined : v === undefined ? missing(p) : invalid(p, 'a non-empty array of items')),
  });
  if (problem) return problem;
  const items = order['items'] as unknown[];
  for (const [i, item] of items.entries()) {
    const bad = itemProblem(item, `${path}.items[${i}]`);
    if (bad) return bad;
  }
  const lines = items.reduce<number>((sum, item) => {
    const it = item as Record<string, unknown>;
    return sum + minorOf(it['sale_amount'] ?? it['amount']) * (it['quantity'] as number);
  }, 0);
  if (lines !== minorOf(order['subtotal'])) return invalid(`${path}.subtotal.value`, `the sum of the items (${lines})`);
  const expected = minorOf(order['subtotal']) + minorOf(order['tax']) + minorOf(order['shipping']) - minorOf(order['discount']);
  return expected === minorOf(total) ? undefined : invalid('action.parameters.total_amount.value', `subtotal + tax + shipping - discount (${expected})`);
}

const paymentSettings: Check = (v, path) => {
  if (v === undefined) return missing(path);
  if (!Array.isArray(v) || v.length === 0) return invalid(path, 'a non-empty array');
  for (const [i, setting] of v.entries()) {
    const at = `${path}[${i}]`;
    if (!isObject(setting) || setting['type'] !== 'payment_link') return invalid(`${at}.type`, 'payment_link');
    const link = setting['payment_link'];
    if (!isObject(link)) return missing(`${at}.payment_link`);
    if (typeof link['uri'] !== 'string' || !/^https?:\/\/\S+$/i.test(link['uri'])) return invalid(`${at}.payment_link.uri`, 'an http(s) URL');
  }
  return undefined;
};

const referenceId: Check = (v, path) => (v === undefined ? missing(path) : typeof v === 'string' && REFERENCE_ID.test(v) ? undefined : invalid(path, 'letters, digits, _ - . (at most 35)'));

/**
 * What is wrong with an `order_details` interactive object, or undefined.
 *
 * @example
 * ```ts
 * orderDetailsProblem({ type: 'order_details', body: { text: 'Order VT-1' }, action: { name: 'review_and_pay', parameters: {} } });
 * // { code: 131008, details: 'action.parameters.reference_id: required' }
 * ```
 */
export function orderDetailsProblem(interactive: Record<string, unknown>): GraphProblem | undefined {
  const top = fields(interactive, 'interactive', { body: (v, p) => (isObject(v) ? text(1024)(v['text'], `${p}.text`) : missing(p)) });
  if (top) return top;
  const action = interactive['action'];
  if (!isObject(action)) return missing('action');
  if (action['name'] !== 'review_and_pay') return invalid('action.name', 'review_and_pay');
  const parameters = action['parameters'];
  if (!isObject(parameters)) return missing('action.parameters');
  const problem = fields(parameters, 'action.parameters', {
    reference_id: referenceId, type: oneOf(['digital-goods', 'physical-goods']), payment_type: oneOf(['br']), currency: oneOf(['BRL']),
    payment_settings: paymentSettings, total_amount: amount,
  });
  if (problem) return problem;
  return parameters['order'] === undefined ? undefined : orderProblem(parameters['order'], parameters['total_amount'], 'action.parameters.order');
}

/**
 * What is wrong with an `order_status` interactive object, or undefined.
 *
 * @example
 * ```ts
 * orderStatusProblem({ type: 'order_status', body: { text: 'Paid' }, action: { name: 'review_order', parameters: { reference_id: 'VT-1', order: { status: 'paid' } } } });
 * // { code: 131009, details: 'action.parameters.order.status: expected one of pending, processing, …' }
 * ```
 */
export function orderStatusProblem(interactive: Record<string, unknown>): GraphProblem | undefined {
  const top = fields(interactive, 'interactive', { body: (v, p) => (isObject(v) ? text(1024)(v['text'], `${p}.text`) : missing(p)) });
  if (top) return top;
  const action = interactive['action'];
  if (!isObject(action)) return missing('action');
  if (action['name'] !== 'review_order') return invalid('action.name', 'review_order');
  const parameters = action['parameters'];
  if (!isObject(parameters)) return missing('action.parameters');
  const problem = fields(parameters, 'action.parameters', { reference_id: referenceId });
  if (problem) return problem;
  const order = parameters['order'];
  if (!isObject(order)) return missing('action.parameters.order');
  return fields(order, 'action.parameters.order', { status: oneOf(ORDER_STATUSES), description: optional(text(120)) });
}
