// The conversations tab: the hand-off inbox first, a transcript, the cart, a reply box, "read" on open, closing.
import { api, query } from './api.js';
import { fill, h, showDetail } from './dom.js';
import { channelName, dateTime, money, t } from './i18n.js';

const $ = (id) => document.getElementById(id);
const HANDOFF_VIEWS = ['waiting', 'open', 'all'];

/** The conversations tab: the hand-off inbox, a conversation's transcript and cart, the staff's reply. */
export class ConversationsTab {
  constructor({ report }) {
    this.report = report;
    this.open = undefined;
    this.form = $('conversation-filters');
    this.form.addEventListener('change', () => this.refresh());
    this.fillFilters();
  }

  fillFilters() {
    const select = this.form.elements.namedItem('handoff');
    const keep = select.value || 'open';
    fill(select, HANDOFF_VIEWS.map((v) => h('option', { value: v }, t(`conversations.view.${v}`))));
    select.value = keep;
  }

  /** Unread hand-off messages, for the tab's badge. */
  unread() {
    return (this.conversations ?? []).reduce((n, c) => n + (c.handoff && c.handoff.status !== 'closed' ? c.handoff.unread : 0), 0);
  }

  async refresh() {
    const { conversations } = await api(`/conversations${query({ handoff: new FormData(this.form).get('handoff'), limit: 50 })}`);
    this.conversations = inboxFirst(conversations);
    this.renderList();
    if (this.open) await this.show(this.open, { markRead: false });
  }

  renderList() {
    $('conversations-empty').hidden = this.conversations.length > 0;
    fill($('conversation-list'), this.conversations.map((c) => h('li', {},
      h('button', { type: 'button', class: `row${this.open === c.id ? ' current' : ''}`, dataset: { conversation: c.id }, onclick: () => this.show(c.id) },
        h('span', { class: 'row-main' }, h('strong', {}, c.customer?.name ?? c.customer?.phone ?? t('conversations.anonymous')), h('span', { class: 'muted' }, c.lastText ?? '')),
        h('span', { class: 'row-side' },
          c.handoff && c.handoff.status !== 'closed' ? h('span', { class: `pill handoff-${c.handoff.status}` }, t(`handoff.${c.handoff.status}`)) : null,
          c.handoff?.unread ? h('span', { class: 'badge' }, String(c.handoff.unread)) : null),
        h('span', { class: 'row-meta muted' }, `${channelName(c.channel)} · ${dateTime(c.updatedAt)}`)),
    )));
  }

  async show(id, { markRead = true } = {}) {
    this.open = id;
    const path = `/conversations/${encodeURIComponent(id)}`;
    const conversation = await api(path);
    // Opening a conversation that waits for the staff reads it.
    if (markRead && conversation.handoff?.unread) await api(`${path}/read`, { method: 'POST' }).catch((err) => this.report(err));
    // Shown first: the transcript can only scroll to its end once it has a size.
    showDetail('tab-conversations', true);
    this.renderDetail(conversation);
  }

  close() {
    this.open = undefined;
    showDetail('tab-conversations', false);
  }

  renderDetail(c) {
    const detail = $('conversation-detail');
    const path = `/conversations/${encodeURIComponent(c.id)}`;
    const open = Boolean(c.handoff && c.handoff.status !== 'closed');
    const reply = h('form', { class: 'reply', onsubmit: async (event) => {
      event.preventDefault();
      const input = reply.elements.namedItem('text');
      const text = input.value.trim();
      if (!text) return;
      try {
        await api(`${path}/messages`, { method: 'POST', body: { text } });
        input.value = '';
        await this.show(c.id, { markRead: false });
      } catch (err) {
        this.report(err, t('conversations.replyFailed'));
      }
    } }, h('label', { class: 'sr-only', for: 'reply-text' }, t('conversations.reply')),
    h('textarea', { id: 'reply-text', name: 'text', rows: 2, placeholder: t('conversations.replyPlaceholder') }),
    h('button', { type: 'submit' }, t('conversations.send')));
    fill(detail,
      h('button', { type: 'button', class: 'back quiet', onclick: () => this.close() }, `← ${t('back')}`),
      h('header', { class: 'detail-head' }, h('h2', {}, c.customer?.name ?? c.customer?.phone ?? t('conversations.anonymous')),
        open ? h('button', { type: 'button', class: 'quiet', onclick: async () => {
          try {
            await api(`${path}/close`, { method: 'POST' });
            await this.refresh();
          } catch (err) {
            this.report(err, t('conversations.closeFailed'));
          }
        } }, t('conversations.close')) : null),
      h('p', { class: 'muted' }, [c.customer?.phone, channelName(c.channel), c.locale].filter(Boolean).join(' · ')),
      h('ol', { class: 'transcript' }, (c.messages ?? []).map((m) => h('li', { class: `from-${m.from}` },
        h('span', { class: 'who' }, t(`conversations.from.${m.from}`)), h('p', {}, m.text), h('time', { class: 'muted small' }, dateTime(m.at))))),
      cartSection(c.cart),
      // The staff write only while the customer waits for them; otherwise the bot has the chat.
      open ? reply : h('p', { class: 'muted with-bot' }, t('conversations.withBot')));
    // The latest messages are what the staff answer: show the end of the transcript.
    const transcript = detail.querySelector('.transcript');
    transcript.scrollTop = transcript.scrollHeight;
  }
}

/** Conversations waiting for the staff first (oldest request first), then the rest, latest first. */
function inboxFirst(conversations) {
  const waiting = (c) => (c.handoff && c.handoff.status !== 'closed' ? 0 : 1);
  return [...conversations].sort((a, b) => waiting(a) - waiting(b)
    || (waiting(a) === 0 ? a.handoff.requestedAt.localeCompare(b.handoff.requestedAt) : b.updatedAt.localeCompare(a.updatedAt)));
}

function cartSection(cart) {
  if (!cart || cart.lines.length === 0) return null;
  return h('section', { class: 'block' }, h('h3', {}, t('conversations.cart')), h('table', { class: 'items' },
    h('tbody', {}, cart.lines.map((l) => h('tr', {}, h('td', {}, `${l.quantity} ×`), h('td', {}, l.name), h('td', { class: 'num' }, money(l.lineTotalMinor, cart.currency))))),
    h('tfoot', {}, h('tr', {}, h('td'), h('th', {}, t('order.total')), h('th', { class: 'num' }, money(cart.totalMinor, cart.currency))))));
}
