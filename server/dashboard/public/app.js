// The staff dashboard: sign in with a business API key, then orders, conversations and the funnel, live.
import { ApiError, api, forgetKey, keepKey, storedKey } from './api.js';
import { ConversationsTab } from './conversations.js';
import { fill, h } from './dom.js';
import { FunnelTab } from './funnel.js';
import { LANGUAGES, languageName, preferredLanguage, t, translate, useLanguage } from './i18n.js';
import { connectLive } from './live.js';
import { OrdersTab } from './orders.js';

const $ = (id) => document.getElementById(id);

/** A failure in the page's language: its code's text when there is one, never the server's English words. */
function errorText(err) {
  if (err instanceof ApiError && err.kind === 'limited') return t('errors.limited');
  return t(`errors.code.${err instanceof ApiError ? err.code : 'none'}`, { defaultValue: t('errors.failed') });
}

const RETRY_MS = 3000;

/** The signed-in session: its tabs, its live channel, and whether the server answers. */
class Dashboard {
  constructor(key, info) {
    this.key = key;
    this.tab = 'orders';
    this.down = { api: false, live: false };
    this.retry = undefined;
    const report = (err, what) => this.report(err, what);
    this.tabs = { orders: new OrdersTab({ report, options: info }), conversations: new ConversationsTab({ report }), funnel: new FunnelTab() };
    $('business-name').textContent = info.business.name;
    for (const button of document.querySelectorAll('[data-tab]')) button.onclick = () => this.select(button.dataset.tab);
    this.live = connectLive({
      key,
      onChange: (parts) => this.changed(parts),
      onState: (state) => {
        if (state === 'rejected') return signOut('signin.revoked');
        this.down.live = state === 'down';
        this.banner();
      },
    });
  }

  select(tab) {
    this.tab = tab;
    for (const button of document.querySelectorAll('[data-tab]')) button.setAttribute('aria-selected', String(button.dataset.tab === tab));
    for (const name of Object.keys(this.tabs)) $(`tab-${name}`).hidden = name !== tab;
    this.load(tab);
  }

  /** What the live channel says changed: the orders list refetches; the conversations too (their badge shows on every tab). */
  changed(parts) {
    if (parts.includes('orders')) this.load('orders');
    if (parts.includes('orders') && this.tab === 'funnel') this.load('funnel');
    if (parts.includes('conversations') || parts.includes('orders')) this.load('conversations');
  }

  async load(tab) {
    try {
      await this.tabs[tab].refresh();
      if (tab === 'conversations') this.badge();
      this.down.api = false;
      this.banner();
    } catch (err) {
      this.report(err);
    }
  }

  badge() {
    const unread = this.tabs.conversations.unread();
    $('inbox-badge').hidden = unread === 0;
    $('inbox-badge').textContent = String(unread);
  }

  /** A failure: a wrong key signs out, an unreachable server shows the banner and retries, the rest is said. */
  report(err, what) {
    if (err instanceof ApiError && err.kind === 'unauthorized') return signOut('signin.revoked');
    if (err instanceof ApiError && err.kind === 'unreachable') {
      this.down.api = true;
      this.banner();
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.load(this.tab), RETRY_MS);
      return;
    }
    showBanner(what ? `${what} ${errorText(err)}` : errorText(err), 'error');
  }

  banner() {
    if (this.down.api || this.down.live) showBanner(t('errors.unreachable'), 'down');
    else hideBanner();
  }

  retranslate() {
    this.tabs.orders.fillFilters();
    this.tabs.conversations.fillFilters();
    this.banner();
    for (const tab of Object.keys(this.tabs)) if (tab === this.tab || tab === 'conversations') this.load(tab);
  }

  stop() {
    this.live.stop();
    clearTimeout(this.retry);
  }
}

let session;

function showBanner(text, kind) {
  const banner = $('banner');
  banner.textContent = text;
  banner.dataset.kind = kind;
  banner.hidden = false;
}
const hideBanner = () => { $('banner').hidden = true; };

function signOut(reason) {
  session?.stop();
  session = undefined;
  forgetKey();
  $('app').hidden = true;
  $('signout').hidden = true;
  $('business-name').textContent = '';
  hideBanner();
  $('signin').hidden = false;
  $('signin-error').hidden = !reason;
  if (reason) $('signin-error').textContent = t(reason);
  $('key').value = '';
  $('key').focus();
}

/** Checks the key with the server and opens the dashboard; a wrong key or no server says so. */
async function signIn(key) {
  const error = $('signin-error');
  try {
    const info = await api('/business', { key });
    keepKey(key);
    error.hidden = true;
    hideBanner();
    $('signin').hidden = true;
    $('app').hidden = false;
    $('signout').hidden = false;
    session = new Dashboard(key, info);
    session.select('orders');
  } catch (err) {
    const kind = err instanceof ApiError ? err.kind : 'failed';
    if (kind === 'unreachable' && storedKey()) {
      // Back later: the banner says so, and the sign-in is tried again.
      showBanner(t('errors.unreachable'), 'down');
      setTimeout(() => signIn(key), RETRY_MS);
      return;
    }
    forgetKey();
    $('signin').hidden = false;
    error.textContent = t(kind === 'unauthorized' ? 'signin.wrongKey' : kind === 'unreachable' ? 'errors.unreachable' : kind === 'limited' ? 'errors.limited' : 'signin.failed');
    error.hidden = false;
  }
}

async function start() {
  const select = $('language');
  fill(select, LANGUAGES.map((lng) => h('option', { value: lng }, languageName(lng))));
  select.value = preferredLanguage();
  await useLanguage(select.value);
  select.addEventListener('change', async () => {
    await useLanguage(select.value);
    translate(document);
    session?.retranslate();
  });
  $('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = $('key').value.trim();
    if (key) signIn(key);
  });
  $('signout').addEventListener('click', () => signOut());
  const key = storedKey();
  if (key) await signIn(key);
  else signOut();
  document.body.dataset.ready = 'true';
}

start().catch((err) => showBanner(String(err), 'error'));
