import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { readStripeEvent, stripeWebhook } from './stripe-webhook.ts';

const client = new Stripe('sk_test_webhook');
const SECRET = 'whsec_unit';

/** A Stripe event about a Checkout Session, as Stripe sends it. */
function event(type: string, session: Record<string, unknown>): Stripe.Event {
  return JSON.parse(JSON.stringify({
    id: `evt_${type}`, object: 'event', api_version: '2025-07-30.basil', created: 1, livemode: false, type, pending_webhooks: 1, request: { id: null, idempotency_key: null },
    data: { object: { id: 'cs_test_1', object: 'checkout.session', amount_total: 3750, currency: 'brl', payment_status: 'paid', ...session } },
  })) as Stripe.Event;
}

describe('what a Stripe event means for a payment', () => {
  it('reads paid, failed and expired Checkout Sessions, with the session as the payment reference', () => {
    expect(readStripeEvent(event('checkout.session.completed', {}))).toEqual({
      eventId: 'evt_checkout.session.completed', type: 'checkout.session.completed', providerRef: 'cs_test_1', outcome: 'paid', amount: { minor: 3750, currency: 'brl' },
    });
    expect(readStripeEvent(event('checkout.session.async_payment_succeeded', { payment_status: 'paid' }))).toMatchObject({ outcome: 'paid', providerRef: 'cs_test_1' });
    expect(readStripeEvent(event('checkout.session.async_payment_failed', { payment_status: 'unpaid' }))).toMatchObject({ outcome: 'failed', providerRef: 'cs_test_1' });
    expect(readStripeEvent(event('checkout.session.expired', { payment_status: 'unpaid' }))).toMatchObject({ outcome: 'expired', providerRef: 'cs_test_1' });
  });

  it('ignores a completed session still waiting for its money, and types it does not act on', () => {
    expect(readStripeEvent(event('checkout.session.completed', { payment_status: 'unpaid' }))).toMatchObject({ outcome: 'ignored', providerRef: 'cs_test_1' });
    expect(readStripeEvent(event('customer.created', { id: 'cus_1', object: 'customer' }))).toEqual({ eventId: 'evt_customer.created', type: 'customer.created', providerRef: 'cus_1', outcome: 'ignored' });
  });

  it('records a paid session\'s payment intent, and reads a charge refunded in full as the refund of that payment', () => {
    expect(readStripeEvent(event('checkout.session.completed', { payment_intent: 'pi_1' }))).toMatchObject({ outcome: 'paid', providerRef: 'cs_test_1', paidRef: 'pi_1' });
    const charge = { id: 'ch_1', object: 'charge', payment_intent: 'pi_1', amount: 3750, amount_refunded: 3750, refunded: true };
    expect(readStripeEvent(event('charge.refunded', charge))).toEqual({ eventId: 'evt_charge.refunded', type: 'charge.refunded', paidRef: 'pi_1', outcome: 'refunded' });
    expect(readStripeEvent(event('charge.refunded', { ...charge, amount_refunded: 1000, refunded: false }))).toMatchObject({ outcome: 'ignored', paidRef: 'pi_1' });
  });

  it('gives a paid session without an amount one that matches no order', () => {
    expect(readStripeEvent(event('checkout.session.completed', { amount_total: null, currency: null })).amount).toEqual({ minor: 0, currency: '' });
  });
});

describe('the Stripe webhook signature', () => {
  const webhook = stripeWebhook(client, SECRET);
  const body = JSON.stringify(event('checkout.session.completed', {}));
  const sign = (payload: string, secret: string) => client.webhooks.generateTestHeaderString({ payload, secret });

  it('accepts a body signed with the endpoint secret and returns the event', () => {
    const verified = webhook.verify({ body: Buffer.from(body), headers: { 'stripe-signature': sign(body, SECRET) } });
    expect(verified).toMatchObject({ ok: true, event: { id: 'evt_checkout.session.completed' } });
  });

  it('refuses another secret, a changed body or no header, without throwing', () => {
    expect(webhook.verify({ body: Buffer.from(body), headers: { 'stripe-signature': sign(body, 'whsec_other') } }).ok).toBe(false);
    expect(webhook.verify({ body: Buffer.from(body.replace('3750', '1')), headers: { 'stripe-signature': sign(body, SECRET) } }).ok).toBe(false);
    expect(webhook.verify({ body: Buffer.from(body), headers: {} })).toEqual({ ok: false, reason: expect.stringContaining('Stripe-Signature') });
  });

  it('refuses a timestamp further than the tolerance from now in either direction, by the injected clock', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const clocked = stripeWebhook(client, SECRET, { clock: { now: () => now } });
    const at = (seconds: number) => ({ body: Buffer.from(body), headers: { 'stripe-signature': client.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: Math.floor(now.getTime() / 1000) + seconds }) } });
    expect(clocked.verify(at(0)).ok).toBe(true);
    expect(clocked.verify(at(299)).ok).toBe(true);
    expect(clocked.verify(at(-299)).ok).toBe(true);
    expect(clocked.verify(at(365 * 24 * 3600))).toEqual({ ok: false, reason: 'Timestamp outside the tolerance zone' });
    expect(clocked.verify(at(301)).ok).toBe(false);
    expect(clocked.verify(at(-301)).ok).toBe(false);
  });

  it('also answers on the path Stripe endpoints were configured with before', () => {
    expect(webhook.paths).toEqual(['/webhooks/stripe']);
  });
});
