import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Checkout Session as the fake keeps it (the fields Vitrine reads, in Stripe's shape). */
export interface FakeSession {
  id: string;
  object: 'checkout.session';
  mode: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid' | 'no_payment_required';
  amount_total: number;
  amount_subtotal: number;
  currency: string;
  url: string | null;
  locale: string | null;
  success_url: string;
  cancel_url: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  /** The methods the session was limited to (`allowed_payment_method_types`), or null for the account's default. */
  allowed_payment_method_types: string[] | null;
  /** The methods the page offers: the allowed ones, else cards. */
  payment_method_types: string[];
  created: number;
  expires_at: number;
  livemode: false;
  line_items: { quantity: number; price_data: { currency: string; unit_amount: number; product_data: { name: string } } }[];
}

/** A PaymentIntent as the fake keeps it: a Pix payment made with a code shown in the chat. */
export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_action' | 'requires_payment_method' | 'succeeded' | 'canceled';
  payment_method_types: string[];
  metadata: Record<string, string>;
  next_action: null | {
    type: 'pix_display_qr_code';
    pix_display_qr_code: { data: string; expires_at: number; hosted_instructions_url: string; image_url_png: string; image_url_svg: string };
  };
  created: number;
  livemode: false;
}

/** A refund as the fake keeps it. */
export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  status: 'succeeded';
  metadata: Record<string, string>;
}

/** A charge as the fake reports it in `charge.*` events (the fields Vitrine reads, in Stripe's shape). */
export interface FakeCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  refunded: boolean;
  status: 'succeeded';
}

/**
 * A local server speaking Stripe's HTTP API for the endpoints Vitrine uses
 * (create, retrieve and expire Checkout Sessions, create refunds), and the
 * webhook events Stripe would send about them, signed as Stripe signs them.
 */
export interface FakeStripe {
  /** `http://127.0.0.1:<port>`, for `STRIPE_API_URL`. */
  url: string;
  sessions: Map<string, FakeSession>;
  /** PaymentIntents (Pix codes for the chat), by id. */
  intents: Map<string, FakeIntent>;
  refunds: FakeRefund[];
  /** Every request: method, path and idempotency key. */
  requests: { method: string; path: string; idempotencyKey?: string }[];
  /** Drops the connection of the next session creation after storing it (a lost response; the SDK retries). */
  dropNextCreateResponse(): void;
  /** Refuses the next session creation with a Stripe `invalid_request_error` (400, not retried). */
  refuseNextCreate(message: string): void;
  /** The customer pays: the session completes, paid, with a payment intent. Amount or currency may be overridden. */
  pay(sessionId: string, override?: { amountTotal?: number; currency?: string }): FakeSession;
  /** The customer pays a Pix PaymentIntent's code in their bank's app: it succeeds. */
  payIntent(intentId: string): FakeIntent;
  /** A Pix code's time ran out unpaid: the PaymentIntent needs a new payment method again. */
  expireIntent(intentId: string): FakeIntent;
  /** Stripe expires the session (24 h passed). */
  expire(sessionId: string): FakeSession;
  /** The shop refunds a paid session's charge in Stripe's dashboard (in full unless `amount` says less). */
  refundInDashboard(sessionId: string, amount?: number): FakeCharge;
  /** A Stripe event JSON body for a session, a charge or a PaymentIntent. */
  event(type: string, object: FakeSession | FakeCharge | FakeIntent): string;
  /** Signs a body like Stripe does (`Stripe-Signature` header value); `timestamp` in seconds, default now. */
  sign(payload: string, secret: string, timestamp?: number): string;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/**
 * Parses a Stripe form body (`line_items[0][price_data][unit_amount]=…`) into nested objects and arrays.
 *
 * @example
 * ```ts
 * parseStripeForm('metadata[orderId]=o1&line_items[0][quantity]=2'); // { metadata: { orderId: 'o1' }, line_items: [{ quantity: '2' }] }
 * ```
 */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split(/[[\]]+/).filter(Boolean);
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const container = node as Record<string, unknown>;
      if (last) {
        container[part] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[i + 1] ?? '');
      container[part] ??= nextIsIndex ? [] : {};
      node = container[part] as Record<string, unknown>;
    });
  }
  return root;
}

/** The currencies Stripe takes each local method in (cards take any). */
const METHOD_CURRENCIES: Record<string, string> = { pix: 'brl', boleto: 'brl', oxxo: 'mxn' };

/** The methods a request allows (`allowed_payment_method_types`), or `fallback` when it names none. */
const allowedMethods = (params: Record<string, unknown>, fallback: string[]): string[] =>
  Array.isArray(params['allowed_payment_method_types']) ? (params['allowed_payment_method_types'] as unknown[]).map(String) : fallback;

/** Stripe's refusal of methods of which one cannot take `currency`, if any. */
function methodRefusingCurrency(methods: readonly string[], currency: string): string | undefined {
  const method = methods.find((m) => METHOD_CURRENCIES[m] !== undefined && METHOD_CURRENCIES[m] !== currency);
  return method ? `The payment method type \`${method}\` does not support the currency \`${currency}\`.` : undefined;
}

function stripeError(res: ServerResponse, status: number, message: string, code?: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
  res.end(JSON.stringify({ error: { type: 'invalid_request_error', message, ...(code ? { code } : {}) } }));
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': id('req') });
  res.end(JSON.stringify(body));
}

/**
 * The `Stripe-Signature` header Stripe sends with a webhook: `t=<seconds>,v1=<hex>`,
 * the HMAC-SHA256 of `<seconds>.<body>` keyed with the endpoint's secret (the scheme
 * `stripe.webhooks.constructEvent` checks).
 *
 * @example
 * ```ts
 * const header = stripeSignature(body, 'whsec_test', Math.floor(Date.now() / 1000));
 * ```
 */
export function stripeSignature(payload: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex')}`;
}

/**
 * Starts a fake Stripe API on 127.0.0.1 with a free port. The real `stripe`
 * SDK talks to it (`STRIPE_API_URL`, or `apiBaseUrl` of the provider); the
 * test plays the customer and the dashboard (`pay`, `expire`,
 * `refundInDashboard`) and posts the signed events to the webhook route.
 * It accepts any `sk_test_` key.
 *
 * @example
 * ```ts
 * import { startFakeStripe } from 'vitrine/testing';
 * const fake = await startFakeStripe();
 * const provider = createStripePaymentProvider({ secretKey: 'sk_test_x', apiBaseUrl: fake.url, successUrl, cancelUrl });
 * // … the customer checks out; the provider created a session
 * const [session] = fake.sessions.values();
 * const body = fake.event('checkout.session.completed', fake.pay(session.id));
 * await fetch(`${base}/webhooks/payments/stripe`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': fake.sign(body, 'whsec_test') } });
 * await fake.close();
 * ```
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const sessions = new Map<string, FakeSession>();
  const intents = new Map<string, FakeIntent>();
  const refunds: FakeRefund[] = [];
  const requests: FakeStripe['requests'] = [];
  const idempotent = new Map<string, string>();
  let dropNext = false;
  let refuseNext: string | undefined;
  let base = '';

  function createSession(params: Record<string, unknown>): FakeSession {
    const items = (params['line_items'] ?? []) as { quantity?: string; price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } } }[];
    const lines = items.map((l) => ({
      quantity: Number(l.quantity ?? 1),
      price_data: { currency: l.price_data?.currency ?? '', unit_amount: Number(l.price_data?.unit_amount ?? 0), product_data: { name: l.price_data?.product_data?.name ?? '' } },
    }));
    const amount = lines.reduce((sum, l) => sum + l.quantity * l.price_data.unit_amount, 0);
    const allowed = Array.isArray(params['allowed_payment_method_types']) ? allowedMethods(params, []) : null;
    const sessionId = id('cs_test');
    const now = Math.floor(Date.now() / 1000);
    const session: FakeSession = {
      id: sessionId, object: 'checkout.session', mode: String(params['mode']), status: 'open', payment_status: 'unpaid',
      amount_total: amount, amount_subtotal: amount, currency: lines[0]?.price_data.currency ?? 'usd',
      url: `${base}/c/pay/${sessionId}`, locale: typeof params['locale'] === 'string' ? params['locale'] : null,
      success_url: String(params['success_url']), cancel_url: String(params['cancel_url']),
      client_reference_id: typeof params['client_reference_id'] === 'string' ? params['client_reference_id'] : null,
      metadata: (params['metadata'] ?? {}) as Record<string, string>, payment_intent: null,
      allowed_payment_method_types: allowed, payment_method_types: allowed ?? ['card'], created: now, expires_at: now + 24 * 3600,
      livemode: false, line_items: lines,
    };
    sessions.set(sessionId, session);
    return session;
  }

  /** A confirmed Pix PaymentIntent: its code as Stripe shows it (an EMV "copia e cola" string), valid for the asked time. */
  function createIntent(params: Record<string, unknown>, methods: string[]): FakeIntent {
    const intentId = id('pi');
    const now = Math.floor(Date.now() / 1000);
    const pixOptions = ((params['payment_method_options'] ?? {}) as { pix?: { expires_after_seconds?: string } }).pix;
    const amount = Number(params['amount'] ?? 0);
    const amountText = (amount / 100).toFixed(2);
    const data = `00020101021226830014br.gov.bcb.pix2561pix.example/qr/v2/${intentId}52040000530398654${String(amountText.length).padStart(2, '0')}${amountText}5802BR5910VITRINE PG6009SAO PAULO62070503***6304B14F`;
    const intent: FakeIntent = {
      id: intentId, object: 'payment_intent', amount, amount_received: 0, currency: String(params['currency'] ?? ''), status: 'requires_action',
      payment_method_types: methods, metadata: (params['metadata'] ?? {}) as Record<string, string>, created: now, livemode: false,
      next_action: {
        type: 'pix_display_qr_code',
        pix_display_qr_code: {
          data, expires_at: now + Number(pixOptions?.expires_after_seconds ?? 86_400),
          hosted_instructions_url: `${base}/pix/${intentId}`, image_url_png: `${base}/pix/${intentId}.png`, image_url_svg: `${base}/pix/${intentId}.svg`,
        },
      },
    };
    intents.set(intentId, intent);
    return intent;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = parseStripeForm(Buffer.concat(chunks).toString('utf8'));
    const path = (req.url ?? '').split('?')[0] ?? '';
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    requests.push({ method: req.method ?? '', path, ...(key ? { idempotencyKey: key } : {}) });
    if (!/^Bearer sk_test_/.test(req.headers.authorization ?? '')) return stripeError(res, 401, 'Invalid API Key provided');
    if (req.method === 'POST' && key && idempotent.has(`${path}|${key}`)) {
      res.writeHead(200, { 'content-type': 'application/json', 'idempotent-replayed': 'true' });
      res.end(idempotent.get(`${path}|${key}`));
      return;
    }
    const remember = (value: unknown) => {
      const text = JSON.stringify(value);
      if (key) idempotent.set(`${path}|${key}`, text);
      return text;
    };
    if (req.method === 'POST' && path === '/v1/checkout/sessions') {
      if (body['mode'] !== 'payment') return stripeError(res, 400, 'Missing required param: mode.', 'parameter_missing');
      if (refuseNext !== undefined) {
        const message = refuseNext;
        refuseNext = undefined;
        return stripeError(res, 400, message, 'amount_too_small');
      }
      const items = (body['line_items'] ?? []) as { price_data?: { currency?: string } }[];
      const refused = methodRefusingCurrency(allowedMethods(body, []), items[0]?.price_data?.currency ?? '');
      if (refused) return stripeError(res, 400, refused, 'payment_method_currency_mismatch');
      const text = remember(createSession(body));
      if (dropNext) {
        dropNext = false;
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
      return;
    }
    if (req.method === 'POST' && path === '/v1/payment_intents') {
      const currency = String(body['currency'] ?? '');
      const methods = allowedMethods(body, ['card']);
      const refused = methodRefusingCurrency(methods, currency);
      if (refused) return stripeError(res, 400, refused, 'payment_method_currency_mismatch');
      if (!methods.includes('pix') || body['confirm'] !== 'true') return stripeError(res, 400, 'This fake creates confirmed Pix PaymentIntents only.');
      const intent = createIntent(body, methods);
      return json(res, JSON.parse(remember(intent)));
    }
    const pi = path.match(/^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/);
    if (pi) {
      const intent = intents.get(pi[1] ?? '');
      if (!intent) return stripeError(res, 404, `No such payment_intent: '${pi[1]}'`, 'resource_missing');
      if (req.method === 'GET' && !pi[2]) return json(res, intent);
      if (req.method === 'POST' && pi[2]) {
        if (intent.status === 'succeeded' || intent.status === 'canceled') return stripeError(res, 400, `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`, 'payment_intent_unexpected_state');
        Object.assign(intent, { status: 'canceled', next_action: null });
        return json(res, intent);
      }
    }
    const m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/);
    if (m) {
      const session = sessions.get(m[1] ?? '');
      if (!session) return stripeError(res, 404, `No such checkout.session: '${m[1]}'`, 'resource_missing');
      if (req.method === 'GET' && !m[2]) return json(res, session);
      if (req.method === 'POST' && m[2]) {
        if (session.status !== 'open') return stripeError(res, 400, `This Checkout Session is not in an expirable state (status: ${session.status}).`);
        session.status = 'expired';
        session.url = null;
        return json(res, session);
      }
    }
    if (req.method === 'POST' && path === '/v1/refunds') {
      const intent = String(body['payment_intent'] ?? '');
      const paidIntent = intents.get(intent);
      const paid = paidIntent?.status === 'succeeded' ? { amount_total: paidIntent.amount, currency: paidIntent.currency } : [...sessions.values()].find((s) => s.payment_intent === intent);
      if (!paid) return stripeError(res, 404, `No such payment_intent: '${intent}'`, 'resource_missing');
      if (refunds.some((r) => r.payment_intent === intent)) return stripeError(res, 400, `Charge for ${intent} has already been refunded.`, 'charge_already_refunded');
      const refund: FakeRefund = { id: id('re'), object: 'refund', amount: paid.amount_total, currency: paid.currency, payment_intent: intent, status: 'succeeded', metadata: (body['metadata'] ?? {}) as Record<string, string> };
      refunds.push(refund);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(remember(refund));
      return;
    }
    stripeError(res, 404, `Unrecognized request URL (${req.method}: ${path}).`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => stripeError(res, 500, String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function session(sessionId: string): FakeSession {
    const s = sessions.get(sessionId);
    if (!s) throw new Error(`fake Stripe has no session ${sessionId}`);
    return s;
  }

  return {
    url: base, sessions, intents, refunds, requests,
    dropNextCreateResponse: () => {
      dropNext = true;
    },
    refuseNextCreate: (message) => {
      refuseNext = message;
    },
    pay(sessionId, override = {}) {
      const s = session(sessionId);
      Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: s.payment_intent ?? id('pi'), url: null });
      if (override.amountTotal !== undefined) s.amount_total = override.amountTotal;
      if (override.currency !== undefined) s.currency = override.currency;
      return { ...s };
    },
    payIntent(intentId) {
      const intent = intents.get(intentId);
      if (!intent) throw new Error(`fake Stripe has no payment_intent ${intentId}`);
      Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, next_action: null });
      return { ...intent };
    },
    expireIntent(intentId) {
      const intent = intents.get(intentId);
      if (!intent) throw new Error(`fake Stripe has no payment_intent ${intentId}`);
      Object.assign(intent, { status: 'requires_payment_method', next_action: null });
      return { ...intent };
    },
    expire(sessionId) {
      const s = session(sessionId);
      Object.assign(s, { status: 'expired', url: null });
      return { ...s };
    },
    refundInDashboard(sessionId, amount) {
      const s = session(sessionId);
      if (!s.payment_intent) throw new Error(`fake Stripe session ${sessionId} is not paid`);
      const refundedAmount = amount ?? s.amount_total;
      return {
        id: id('ch'), object: 'charge', amount: s.amount_total, amount_refunded: refundedAmount, currency: s.currency,
        payment_intent: s.payment_intent, refunded: refundedAmount >= s.amount_total, status: 'succeeded',
      };
    },
    event(type, s) {
      const { line_items: _lines, ...object } = s.object === 'checkout.session' ? s : { ...s, line_items: undefined };
      if (s.object !== 'checkout.session') delete (object as { line_items?: unknown }).line_items;
      return JSON.stringify({ id: id('evt'), object: 'event', api_version: '2025-07-30.basil', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object }, pending_webhooks: 1, request: { id: null, idempotency_key: null } });
    },
    sign: (payload, secret, timestamp) => stripeSignature(payload, secret, timestamp ?? Math.floor(Date.now() / 1000)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
