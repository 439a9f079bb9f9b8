import { formatMoney, type OrderRecord } from '../../../engine/index.ts';

/** Translates a key in the page's language. */
export type PageT = (key: string, values?: Record<string, unknown>) => string;

/** What a sandbox page shows besides the banner. */
export type SandboxPageBody =
  /** The order and the two buttons, posting to `action` + `/pay` and `/fail`. */
  | { kind: 'order'; order: OrderRecord; action: string }
  /** A title and a sentence: the result of a press, or why there is nothing to press. */
  | { kind: 'notice'; title: string; text: string; order?: OrderRecord };

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:32rem;margin:0 auto;padding:1rem;color:#222}h1{font-size:1.4rem}'
  + '.banner{background:#ffd400;color:#000;border:3px dashed #000;padding:.75rem;font-weight:700;text-align:center;margin-bottom:1rem}'
  + 'table{width:100%;border-collapse:collapse}td{padding:.35rem 0;border-bottom:1px solid #ddd}td.n{text-align:right;white-space:nowrap}'
  + 'tr.total td{font-weight:700;border-bottom:0}form{display:inline}.buttons{display:flex;gap:.75rem;margin-top:1.25rem}'
  + 'button{flex:1;font-size:1.1rem;padding:.9rem;border-radius:.5rem;border:0;cursor:pointer}.pay{background:#1a7f37;color:#fff}.fail{background:#b42318;color:#fff}'
  + '.buttons form{flex:1;display:flex}';

/** The order's heading (number and business). */
const orderHeading = (order: OrderRecord, t: PageT): string =>
  `<h1>${escapeHtml(t('sandboxPage.order', { number: order.number, business: order.businessName }))}</h1>`;

/** The order's lines, delivery fee and total, prices formatted for the order's locale. */
function orderTable(order: OrderRecord, t: PageT): string {
  const money = (minor: number) => escapeHtml(formatMoney({ minor, currency: order.currency }, order.locale));
  const lines = order.items.map((item) =>
    `<tr><td>${escapeHtml(t('sandboxPage.line', { quantity: item.quantity, name: item.name }))}</td><td class="n">${money(item.lineTotalMinor)}</td></tr>`);
  const zone = order.fulfilment?.zone;
  if (order.feeMinor) lines.push(`<tr><td>${escapeHtml(t(zone ? 'fulfilment.feeLineZone' : 'fulfilment.feeLine', { zone }))}</td><td class="n">${money(order.feeMinor)}</td></tr>`);
  return `<table>${lines.join('')}<tr class="total"><td>${escapeHtml(t('sandboxPage.total'))}</td><td class="n">${money(order.totalMinor)}</td></tr></table>`;
}

/**
 * The sandbox's payment page: a loud TEST MODE banner, then the order with
 * "Pay (test)" / "Fail (test)", or a notice. Small server-rendered HTML that
 * fits a phone; every text is a `sandboxPage.*` key in `t`'s language.
 *
 * @example
 * ```ts
 * const html = sandboxPage('pt-BR', t, { kind: 'order', order, action: '/sandbox/pay/sbx_ord_1_v1' });
 * ```
 */
export function sandboxPage(lang: string, t: PageT, body: SandboxPageBody): string {
  const title = escapeHtml(t('sandboxPage.title'));
  const main = body.kind === 'order'
    ? `${orderHeading(body.order, t)}${orderTable(body.order, t)}<div class="buttons">`
      + `<form method="post" action="${escapeHtml(body.action)}/pay"><button class="pay" type="submit">${escapeHtml(t('sandboxPage.pay'))}</button></form>`
      + `<form method="post" action="${escapeHtml(body.action)}/fail"><button class="fail" type="submit">${escapeHtml(t('sandboxPage.fail'))}</button></form></div>`
    : `<h1>${escapeHtml(body.title)}</h1><p>${escapeHtml(body.text)}</p>${body.order ? orderTable(body.order, t) : ''}`;
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<meta name="robots" content="noindex"><title>${title}</title><style>${STYLE}</style></head>`
    + `<body><div class="banner" role="alert">${escapeHtml(t('sandboxPage.banner'))}</div>${main}</body></html>`;
}
