import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { I18n, OrderRecord } from '../../../engine/index.ts';
import type { SandboxOutcome } from './sandbox-event.ts';
import { sandboxPage, type PageT, type SandboxPageBody } from './sandbox-page.ts';
import { sandboxPagePath, sandboxRef, type SandboxPaymentProvider } from './sandbox-provider.ts';

/** Options of {@link sandboxPageRoutes}. */
export interface SandboxPageOptions {
  provider: SandboxPaymentProvider;
  i18n: I18n;
  /** The order a sandbox payment reference was issued for, or `undefined` when none was. */
  findOrder(ref: string): Promise<OrderRecord | undefined>;
  /** Where deliveries go (default: this server's own `/webhooks/payments/sandbox`, on the address it listens on). */
  webhookUrl?: string;
}

/** This server's own webhook URL, on the first address it listens on (loopback for a wildcard address). */
function ownWebhookUrl(app: FastifyInstance): string {
  const address = app.addresses().find((a) => typeof a === 'object');
  if (!address || typeof address !== 'object') throw new Error('The server is not listening on a TCP address');
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${address.family === 'IPv6' ? `[${host}]` : host}:${address.port}/webhooks/payments/sandbox`;
}

/** Sends a delivery; true when the webhook kept it (2xx). */
async function deliver(url: string, delivery: { body: string; headers: Record<string, string> }): Promise<boolean> {
  try {
    const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(10_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The sandbox's pages: `GET /sandbox/pay/<ref>` shows the order with
 * "Pay (test)" / "Fail (test)" in the customer's language;
 * `POST /sandbox/pay/<ref>/pay` and `…/fail` build the event a provider would
 * send, sign it, POST it over HTTP to `/webhooks/payments/sandbox` and show
 * the result (the receipt follows in the chat). An order no longer awaiting
 * payment, or a link replaced by a newer one, is refused (409) and nothing
 * changes; a reference never issued is 404.
 *
 * @example
 * ```ts
 * await app.register(sandboxPageRoutes, { provider: sandbox, i18n: runtime.i18n, findOrder });
 * ```
 */
export const sandboxPageRoutes: FastifyPluginAsync<SandboxPageOptions> = async (app, options) => {
  // The buttons are HTML forms: their (empty) form body carries nothing the page reads.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, _body, done) => done(null, undefined));
  const page = (reply: FastifyReply, status: number, locale: string, body: (t: PageT) => SandboxPageBody) => {
    const lang = options.i18n.textLocale(locale);
    const t: PageT = options.i18n.instance.getFixedT(lang);
    return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(sandboxPage(lang, t, body(t)));
  };
  /** The order of `ref` when it can still be paid there, else the page saying why not. */
  const payable = async (ref: string, reply: FastifyReply): Promise<OrderRecord | undefined> => {
    const order = await options.findOrder(ref);
    if (order && order.status !== 'awaiting_payment') {
      await page(reply, 409, order.locale, (t) => ({
        kind: 'notice', title: t('sandboxPage.closedTitle'), text: t('sandboxPage.closedText', { number: order.number, status: t(`orderStatus.${order.status}`) }), order,
      }));
      return undefined;
    }
    // An order awaiting payment under a newer link (its version moved on) is paid there only.
    if (!order || sandboxRef(order) !== ref) {
      await page(reply, order ? 409 : 404, order?.locale ?? 'en', (t) => ({ kind: 'notice', title: t('sandboxPage.unknownTitle'), text: t('sandboxPage.unknownText') }));
      return undefined;
    }
    return order;
  };
  app.get<{ Params: { ref: string } }>('/sandbox/pay/:ref', async (request, reply) => {
    const order = await payable(request.params.ref, reply);
    if (!order) return reply;
    return page(reply, 200, order.locale, () => ({ kind: 'order', order, action: sandboxPagePath(request.params.ref) }));
  });
  app.post<{ Params: { ref: string; outcome: string } }>('/sandbox/pay/:ref/:outcome', async (request, reply) => {
    const { ref } = request.params;
    const outcome: SandboxOutcome | undefined = request.params.outcome === 'pay' ? 'paid' : request.params.outcome === 'fail' ? 'failed' : undefined;
    if (!outcome) return reply.code(404).send();
    const order = await payable(ref, reply);
    if (!order) return reply;
    const sent = await deliver(options.webhookUrl ?? ownWebhookUrl(app), options.provider.delivery(order, ref, outcome));
    request.log.info({ provider: 'sandbox', ref, outcome, sent }, 'sandbox payment pressed');
    if (!sent) return page(reply, 503, order.locale, (t) => ({ kind: 'notice', title: t('sandboxPage.title'), text: t('sandboxPage.unavailableText') }));
    return page(reply, 200, order.locale, (t) => outcome === 'paid'
      ? { kind: 'notice', title: t('sandboxPage.paidTitle'), text: t('sandboxPage.paidText'), order }
      : { kind: 'notice', title: t('sandboxPage.failedTitle'), text: t('sandboxPage.failedText'), order });
  });
};
