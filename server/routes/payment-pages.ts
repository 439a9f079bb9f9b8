import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { I18n } from '../../engine/index.ts';

/** Options of {@link paymentPageRoutes}. */
export interface PaymentPageOptions {
  i18n: I18n;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A return page in the customer's language (`?locale=`, else the browser's first language). */
function returnPage(i18n: I18n, request: FastifyRequest, which: 'paid' | 'cancelled'): string {
  const query = request.query as Record<string, unknown>;
  const asked = typeof query['locale'] === 'string' ? query['locale'] : String(request.headers['accept-language'] ?? 'en').split(/[,;]/)[0] ?? 'en';
  const locale = i18n.textLocale(asked.trim() || 'en');
  const t = i18n.instance.getFixedT(locale);
  const title = escapeHtml(t(`paymentPage.${which}Title`));
  const text = escapeHtml(t(`paymentPage.${which}Text`));
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>` +
    `<body style="font-family:system-ui;max-width:32rem;margin:4rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;
}

/**
 * The two pages a hosted payment page sends customers back to, in their
 * language: `GET /paid` (the result follows in the chat) and
 * `GET /payment-cancelled` (nothing was charged). Providers point their
 * return URLs at `<PUBLIC_URL>/paid` and `<PUBLIC_URL>/payment-cancelled`.
 *
 * @example
 * ```ts
 * await app.register(paymentPageRoutes, { i18n: runtime.i18n });
 * ```
 */
export const paymentPageRoutes: FastifyPluginAsync<PaymentPageOptions> = async (app, { i18n }) => {
  app.get('/paid', async (request, reply) => reply.type('text/html').send(returnPage(i18n, request, 'paid')));
  app.get('/payment-cancelled', async (request, reply) => reply.type('text/html').send(returnPage(i18n, request, 'cancelled')));
};
