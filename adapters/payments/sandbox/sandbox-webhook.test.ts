import { describe, expect, it } from 'vitest';
import type { OrderForPayment } from '../../../engine/index.ts';
import { createSandboxPaymentProvider } from './sandbox-provider.ts';
import { sandboxWebhook } from './sandbox-webhook.ts';
import { SANDBOX_SIGNATURE_HEADER, signSandboxBody } from './sandbox-signature.ts';

const now = new Date('2026-12-05T10:00:00Z');
const clock = { now: () => now };
const order: OrderForPayment = {
  id: 'ord_1', number: 'CB-1', version: 1, businessId: 'b', businessName: 'Corner Bakery', country: 'GB', conversationId: 'c', currency: 'GBP', totalMinor: 700, locale: 'en-GB',
  items: [{ sku: 'SOUR', name: 'Sourdough', unitPriceMinor: 350, quantity: 2 }],
};
const sandbox = createSandboxPaymentProvider({ publicUrl: 'http://localhost:3000/', secret: 's3cret', clock });
const webhook = sandboxWebhook('s3cret', clock);
const verify = (body: string, headers: Record<string, string>) => webhook.verify({ body: Buffer.from(body), headers });

describe('the sandbox payment', () => {
  it('opens a local test page per order version, the same one when a start is retried', async () => {
    const start = await sandbox.createPayment(order);
    expect(start).toEqual({ kind: 'redirect', providerRef: 'sbx_ord_1_v1', url: 'http://localhost:3000/sandbox/pay/sbx_ord_1_v1', test: true });
    expect(await sandbox.createPayment(order)).toEqual(start);
    expect((await sandbox.createPayment({ ...order, version: 2 })).providerRef).toBe('sbx_ord_1_v2');
  });

  it('signs what the page sends so that its webhook accepts it and reads the amount from the order', () => {
    const { body, headers } = sandbox.delivery(order, 'sbx_ord_1_v1', 'paid');
    const verified = verify(body, headers);
    if (!verified.ok) throw new Error(verified.reason);
    expect(webhook.read(verified.event)).toEqual({
      eventId: 'sbxevt_sbx_ord_1_v1_paid', type: 'payment.succeeded', providerRef: 'sbx_ord_1_v1', outcome: 'paid', amount: { minor: 700, currency: 'GBP' },
    });
    const failed = sandbox.delivery(order, 'sbx_ord_1_v1', 'failed');
    const read = verify(failed.body, failed.headers);
    expect(read.ok && webhook.read(read.event)).toMatchObject({ eventId: 'sbxevt_sbx_ord_1_v1_failed', outcome: 'failed' });
  });

  it('refuses another secret, a changed body, a missing or malformed header and an old signature, without throwing', () => {
    const { body, headers } = sandbox.delivery(order, 'sbx_ord_1_v1', 'paid');
    expect(verify(body, { [SANDBOX_SIGNATURE_HEADER]: signSandboxBody('other', body, now) })).toEqual({ ok: false, reason: 'The signature does not match the body' });
    expect(verify(body.replace('700', '1'), headers).ok).toBe(false);
    expect(verify(body, {}).ok).toBe(false);
    expect(verify(body, { [SANDBOX_SIGNATURE_HEADER]: 'v1=abc' }).ok).toBe(false);
    expect(verify(body, { [SANDBOX_SIGNATURE_HEADER]: signSandboxBody('s3cret', body, new Date(now.getTime() - 301_000)) })).toEqual({ ok: false, reason: 'Timestamp outside the tolerance zone' });
    expect(verify('not json', { [SANDBOX_SIGNATURE_HEADER]: signSandboxBody('s3cret', 'not json', now) })).toEqual({ ok: false, reason: 'The body is not JSON' });
  });
});
