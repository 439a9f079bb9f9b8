// The orders tab: filters, the list (live), an order's detail and the shop's marks the order machine allows.
import { api, query } from './api.js';
import { fill, h, showDetail } from './dom.js';
import { channelName, dateTime, money, providerName, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
/** The marks that cannot be undone, confirmed before they are sent. */
const ASKS_FIRST = ['cancelled', 'refunded'];

/** The orders tab; `report(err)` shows a failure, `known` lists filters' values from the server. */
export class OrdersTab {
  constructor({ report, options }) {
    this.report = report;
    this.options = options;
    this.orders = [];
    this.seen = undefined;
    this.open = undefined;
    this.confirming = undefined;
    this.form = $('order-filters');
    this.form.addEventListener('change', () => this.refresh());
    this.fillFilters();
  }

  /** The filter selects, in the current language. */
  fillFilters() {
    const status = this.form.elements.namedItem('status');
    const fulfilment = this.form.elements.namedItem('fulfilment');
    const keep = [status.value, fulfilment.value];
    fill(status, h('option', { value: '' }, t('filters.allStatuses')), this.options.orderStatuses.map((s) => h('option', { value: s }, t(`status.${s}`))));
    fill(fulfilment, h('option', { value: '' }, t('filters.allFulfilments')), this.options.fulfilmentMethods.map((m) => h('option', { value: m }, t(`fulfilment.${m}`))));
    [status.value, fulfilment.value] = keep;
    // A shop that asks nothing about how orders reach customers has nothing to filter by.
    fulfilment.closest('label').hidden = this.options.fulfilmentMethods.length === 0;
  }

  /** The list's query: the form's values, the days as the local day's start and end. */
  filters() {
    const data = new FormData(this.form);
    const day = (value, end) => (value ? new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : undefined);
    return { status: data.get('status'), from: day(data.get('from'), false), to: day(data.get('to'), true), fulfilment: data.get('fulfilment'), limit: 100 };
  }

  async refresh() {
    const { orders } = await api(`/orders${query(this.filters())}`);
    const before = this.seen;
    this.seen = new Set(orders.map((o) => o.number));
    this.orders = orders;
    this.renderList(before);
    // An order the filters now hide is not left open beside a list without it.
    if (this.open && !this.seen.has(this.open)) this.close();
    if (this.open) await this.show(this.open, { quiet: true });
  }

  renderList(before) {
    $('orders-empty').hidden = this.orders.length > 0;
    fill($('order-list'), this.orders.map((order) => h('li', {},
      h('button', {
        type: 'button', class: `row${before && !before.has(order.number) ? ' new' : ''}${this.open === order.number ? ' current' : ''}`,
        dataset: { order: order.number }, onclick: () => this.show(order.number),
      },
      h('span', { class: 'row-main' }, h('strong', {}, order.number), h('span', { class: 'muted' }, order.customer?.name ?? '')),
      h('span', { class: 'row-side' }, h('span', { class: 'amount' }, money(order.totalMinor, order.currency)), statusPill(order.status)),
      h('span', { class: 'row-meta muted' }, dateTime(order.createdAt), order.fulfilment ? ` · ${t(`fulfilment.${order.fulfilment.method}`)}` : '')),
    )));
  }

  async show(number, { quiet = false } = {}) {
    this.open = number;
    const order = await api(`/orders/${encodeURIComponent(number)}`);
    if (!quiet) this.confirming = undefined;
    showDetail('tab-orders', true);
    this.renderDetail(order);
    for (const row of document.querySelectorAll('#order-list .row')) row.classList.toggle('current', row.dataset.order === number);
  }

  close() {
    this.open = undefined;
    showDetail('tab-orders', false);
  }

  renderDetail(order) {
    const detail = $('order-detail');
    fill(detail,
      h('button', { type: 'button', class: 'back quiet', onclick: () => this.close() }, `← ${t('back')}`),
      h('header', { class: 'detail-head' }, h('h2', {}, t('order.title', { number: order.number })), statusPill(order.status)),
      h('p', { class: 'muted' }, t('order.placed', { when: dateTime(order.createdAt) })),
      order.flags?.includes('extra_payment') ? h('p', { class: 'notice' }, t('order.extraPayment')) : null,
      this.actions(order),
      customerSection(order),
      itemsSection(order),
      fulfilmentSection(order),
      paymentsSection(order),
      historySection(order),
    );
  }

  /** The buttons of the marks the server says are valid now; cancelling asks first. */
  actions(order) {
    const marks = order.marks ?? [];
    if (marks.length === 0) return h('p', { class: 'muted' }, t('order.noActions'));
    const mark = async (status) => {
      try {
        const updated = await api(`/orders/${encodeURIComponent(order.number)}/status`, { method: 'POST', body: { status } });
        this.confirming = undefined;
        this.renderDetail(updated);
        await this.refresh();
      } catch (err) {
        this.report(err, t('order.markFailed', { mark: t(`marks.${status}`) }));
      }
    };
    const asked = this.confirming?.number === order.number ? this.confirming.mark : undefined;
    if (asked) {
      const question = asked === 'refunded'
        ? t('order.confirmRefund', { number: order.number, amount: money(order.totalMinor, order.currency) })
        : t('order.confirmCancel', { number: order.number });
      return h('div', { class: 'confirm', role: 'alertdialog' },
        h('p', {}, question),
        h('button', { type: 'button', class: 'danger', dataset: { confirm: asked }, onclick: () => mark(asked) }, t(asked === 'refunded' ? 'order.confirmRefundYes' : 'order.confirmCancelYes')),
        h('button', { type: 'button', class: 'quiet', onclick: () => { this.confirming = undefined; this.renderDetail(order); } }, t('order.confirmCancelNo')));
    }
    // Cancelling and refunding cannot be undone: they ask first.
    return h('div', { class: 'actions' }, marks.map((m) => h('button', {
      type: 'button', class: ASKS_FIRST.includes(m) ? 'danger' : '', dataset: { mark: m },
      onclick: ASKS_FIRST.includes(m) ? () => { this.confirming = { number: order.number, mark: m }; this.renderDetail(order); } : () => mark(m),
    }, t(`marks.${m}`))));
  }
}

const statusPill = (status) => h('span', { class: `pill status-${status}` }, t(`status.${status}`));
const section = (title, ...body) => h('section', { class: 'block' }, h('h3', {}, title), ...body);
const pair = (label, value) => (value === null || value === undefined || value === '' ? null : h('div', { class: 'pair' }, h('dt', {}, label), h('dd', {}, value)));

function customerSection(order) {
  const c = order.customer;
  if (!c) return null;
  return section(t('order.customer'), h('dl', {}, pair(t('order.name'), c.name), pair(t('order.phone'), c.phone), pair(t('order.channel'), channelName(c.channel))));
}

function itemsSection(order) {
  return section(t('order.items'), h('table', { class: 'items' },
    h('tbody', {}, order.items.map((i) => h('tr', {}, h('td', {}, `${i.quantity} ×`), h('td', {}, i.name), h('td', { class: 'num' }, money(i.lineTotalMinor, order.currency))))),
    h('tfoot', {},
      order.fulfilment?.feeMinor ? h('tr', {}, h('td'), h('td', {}, t('order.fee')), h('td', { class: 'num' }, money(order.fulfilment.feeMinor, order.currency))) : null,
      h('tr', {}, h('td'), h('th', {}, t('order.total')), h('th', { class: 'num' }, money(order.totalMinor, order.currency))))));
}

function fulfilmentSection(order) {
  const f = order.fulfilment;
  if (!f) return null;
  const where = f.location ? h('a', { href: `https://www.openstreetmap.org/?mlat=${f.location.latitude}&mlon=${f.location.longitude}`, target: '_blank', rel: 'noopener' }, t('order.map')) : null;
  return section(t('order.fulfilment'), h('dl', {},
    pair(t('order.method'), t(`fulfilment.${f.method}`)), pair(t('order.zone'), f.zone), pair(t('order.address'), f.address), pair(t('order.location'), where),
    pair(t('order.table'), f.table), pair(t('order.note'), f.note)));
}

function paymentsSection(order) {
  if (order.payments.length === 0) return section(t('order.payments'), h('p', { class: 'muted' }, t('order.noPayments')));
  return section(t('order.payments'), h('ul', { class: 'plain' }, order.payments.map((p) => h('li', {},
    h('span', {}, money(p.amountMinor, p.currency)), ' · ', h('span', {}, t(`payment.${p.status}`, { defaultValue: p.status })),
    p.extra ? h('span', { class: 'pill warn' }, t('order.extra')) : null, h('div', { class: 'muted small' }, `${providerName(order.provider)} · ${p.ref} · ${dateTime(p.createdAt)}`)))));
}

function historySection(order) {
  if (!order.history) return null;
  return section(t('order.history'), h('ol', { class: 'history' }, order.history.map((e) => h('li', {},
    h('span', {}, t(`event.${e.type}`, { defaultValue: e.type })), ' ',
    e.from !== e.to && e.type !== e.to ? h('span', { class: 'muted' }, `→ ${t(`status.${e.to}`, { defaultValue: e.to })}`) : null,
    h('div', { class: 'muted small' }, dateTime(e.at))))));
}
