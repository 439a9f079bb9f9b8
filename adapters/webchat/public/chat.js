// Vitrine web chat page: speaks protocol v1 over /ws (see docs/webchat-protocol.md).
// Everything the bot says comes from the server, and so do the page's own labels.

// The server names the bot's languages, each in itself, with this page's labels in it
// (from the locale files: adding a locale adds it here).
const LANGUAGES = JSON.parse(document.body.dataset.languages || '[]');
const FALLBACK_LABELS = { placeholder: '', send: '→', greeting: 'Hi', offline: '…', language: 'Language', slowDown: '…', failed: '…', closed: '…', total: 'Total', copy: 'Copy', copied: '✓' };

// The server names the bot in the page (`/chat/<id>`, `/?bot=<id>`, else its configured default),
// and on a business's link (`/b/<slug>`) the business, which the page's first message opens.
const botId = document.body.dataset.bot || '';
const botName = document.body.dataset.botName || '';
const business = document.body.dataset.business || '';
const openedKey = `vitrine.opened.${botId}.${business}`;
const customerKey = `vitrine.customer.${botId}`;
const localeKey = 'vitrine.locale';
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('input');
const sendButton = document.getElementById('send');
const picker = document.getElementById('language');
const brand = document.getElementById('brand');

let socket;
let botLocales = [];
let seq = 0;
let retry = 0;
let offlineNotice;
let locale = pickLocale(localStorage.getItem(localeKey) || navigator.language || 'en');

function pickLocale(tag) {
  const lower = String(tag).toLowerCase();
  const exact = LANGUAGES.find((l) => l.locale.toLowerCase() === lower);
  if (exact) return exact.locale;
  const lang = lower.split(/[-_]/)[0];
  return (LANGUAGES.find((l) => l.locale.toLowerCase().split('-')[0] === lang) || LANGUAGES[0] || { locale: 'en' }).locale;
}

function labels() {
  return (LANGUAGES.find((l) => l.locale === locale) || LANGUAGES[0] || { labels: FALLBACK_LABELS }).labels;
}

function applyLabels() {
  const l = labels();
  document.documentElement.lang = locale;
  input.placeholder = l.placeholder;
  sendButton.textContent = l.send;
  picker.setAttribute('aria-label', l.language);
  if (offlineNotice) offlineNotice.textContent = l.offline;
}

function buildPicker() {
  for (const { locale: value, name } of LANGUAGES) {
    const option = el('option', null, name);
    option.value = value;
    picker.append(option);
  }
  picker.value = locale;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function add(node) {
  log.append(node);
  node.scrollIntoView({ block: 'end' });
  log.scrollTop = log.scrollHeight;
  return node;
}

function bubble(who, text) {
  return add(el('li', `msg ${who}`, text));
}

function nextId() {
  seq += 1;
  return `${Date.now().toString(36)}-${seq}`;
}

function disableOldButtons() {
  for (const b of log.querySelectorAll('button')) b.disabled = true;
}

function send(frame, shown) {
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  disableOldButtons();
  if (shown) bubble('me', shown);
  socket.send(JSON.stringify({ v: 1, id: nextId(), ...frame }));
  return true;
}

function sendText(text) {
  return send({ type: 'text', text }, text);
}

function choose(option) {
  send({ type: 'choice', optionId: option.id, label: option.label }, option.label);
}

function card(product, option) {
  const node = el(option ? 'button' : 'div', 'card');
  if (option) {
    node.type = 'button';
    node.addEventListener('click', () => choose(option));
  }
  if (product.imageUrl) {
    const img = el('img');
    img.alt = '';
    img.loading = 'lazy';
    img.src = product.imageUrl;
    img.addEventListener('error', () => { img.remove(); node.classList.add('no-image'); });
    node.append(img);
  } else node.classList.add('no-image');
  node.append(el('span', 'name', product.name), el('span', 'price', product.price));
  if (product.description) node.append(el('span', 'desc', product.description));
  return node;
}

// A code to pay with (Pix "copia e cola"): its QR when there is one, the code whole, and a
// button that copies it (where the browser refuses, the code is selected to copy by hand).
function paymentCode(code) {
  const box = el('div', 'pay-code');
  if (code.imageUrl) {
    const qr = el('img', 'qr');
    qr.src = code.imageUrl;
    qr.alt = '';
    box.append(qr);
  }
  const value = el('code', null, code.value);
  const copy = el('button', 'copy', labels().copy);
  copy.type = 'button';
  copy.addEventListener('click', () => {
    const selectIt = () => window.getSelection()?.selectAllChildren(value);
    if (!navigator.clipboard) return selectIt();
    navigator.clipboard.writeText(code.value).then(() => { copy.textContent = labels().copied; }, selectIt);
  });
  box.append(value, copy);
  if (code.expires) box.dataset.expires = code.expires;
  return box;
}

function linesTable(lines, total, fee) {
  const table = el('table', 'cart');
  const body = el('tbody');
  for (const line of lines) {
    const row = el('tr');
    row.append(el('td', 'num', `${line.quantity} ×`), el('td', null, line.name), el('td', 'num', line.lineTotal));
    body.append(row);
  }
  if (fee) {
    const row = el('tr');
    const cell = el('td', null, fee.label);
    cell.colSpan = 2;
    row.append(cell, el('td', 'num', fee.amount));
    body.append(row);
  }
  table.append(body);
  if (total) {
    const foot = el('tfoot');
    const row = el('tr');
    const cell = el('td', null, labels().total);
    cell.colSpan = 2;
    row.append(cell, el('td', 'num', total));
    foot.append(row);
    table.append(foot);
  }
  return table;
}

// An order that no longer awaits payment (paid, cancelled, expired) cannot be paid from its old
// buttons: each becomes a disabled one that says the order's status ("✓ paid").
function settlePayButtons(orderNumber, statusLabel) {
  for (const link of log.querySelectorAll('a.pay')) {
    if (link.dataset.order !== orderNumber) continue;
    const done = el('button', 'pay settled', statusLabel.charAt(0).toLocaleUpperCase(locale) + statusLabel.slice(1));
    done.type = 'button';
    done.disabled = true;
    done.dataset.order = orderNumber;
    link.replaceWith(done);
  }
}

// The header names the shop the customer is at, or the bot in its directory.
function showPlace(business) {
  const name = (business && business.name) || botName;
  if (!name) return;
  brand.textContent = name;
  document.title = name;
}

function render(message) {
  const node = el('li', 'msg bot');
  node.dataset.kind = message.kind;
  switch (message.kind) {
    case 'text':
      node.textContent = message.text;
      break;
    case 'choice': {
      node.append(el('div', null, message.text));
      const products = message.options.filter((o) => o.product);
      const others = message.options.filter((o) => !o.product);
      if (products.length > 0) {
        const cards = el('div', 'cards');
        for (const option of products) cards.append(card(option.product, option));
        node.append(cards);
      }
      const buttons = el('div', 'options');
      for (const option of others) {
        const b = el('button', null, option.label);
        b.type = 'button';
        if (option.description) b.append(el('span', 'option-note', option.description));
        b.addEventListener('click', () => choose(option));
        buttons.append(b);
      }
      if (others.length > 0) node.append(buttons);
      break;
    }
    case 'product':
      if (message.text) node.append(el('div', null, message.text));
      node.append(card(message.product));
      break;
    case 'productList': {
      node.append(el('div', null, message.title));
      const cards = el('div', 'cards');
      for (const product of message.products) cards.append(card(product));
      node.append(cards);
      if (message.footer) node.append(el('div', null, message.footer));
      break;
    }
    case 'cart':
      node.append(el('div', null, message.title));
      if (!message.empty) node.append(linesTable(message.lines, message.total));
      break;
    case 'paymentLink': {
      node.append(el('div', null, message.text));
      // The label names the amount already ("Pay £6.40").
      const link = el('a', 'pay', message.label);
      link.href = message.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.dataset.order = message.orderNumber;
      if (message.code) node.append(paymentCode(message.code));
      node.append(link);
      break;
    }
    case 'orderStatus':
      node.classList.add('order');
      node.append(el('div', null, message.text), el('span', 'status', message.statusLabel));
      if (message.lines.length > 0) node.append(linesTable(message.lines, message.total, message.fee));
      if (message.status !== 'awaiting_payment') settlePayButtons(message.orderNumber, message.statusLabel);
      break;
    case 'image': {
      const img = el('img', 'picture');
      img.alt = message.caption || '';
      img.src = message.url;
      node.append(img);
      if (message.caption) node.append(el('div', null, message.caption));
      break;
    }
    default:
      return;
  }
  add(node);
}

// After a reload: the recent conversation, with only the current question's buttons live.
// A reconnect of an open page keeps what it shows.
function showHistory(entries) {
  // Something was said on this page already (a business's link opened it): the history would come after it.
  if (log.children.length > 0) return;
  // Nothing delivered yet: a new conversation, or one whose first replies are still on their way.
  if (entries.length === 0) { greetUnlessOpened(); return; }
  for (const entry of entries) {
    if (entry.from === 'customer') bubble('me', entry.text);
    else if (entry.from === 'bot') render(entry.message);
  }
  const bots = log.querySelectorAll('.msg.bot');
  const current = bots[bots.length - 1];
  for (const b of log.querySelectorAll('button')) if (!current || !current.contains(b)) b.disabled = true;
}

// A business's link opens that business once per visit: a reload or a reconnect does not send it again.
function openBusiness() {
  if (!business || !labels().open || sessionStorage.getItem(openedKey)) return false;
  sessionStorage.setItem(openedKey, '1');
  return sendText(labels().open);
}

// A returning visitor with nothing to show is greeted, unless this visit opened a business
// (its shop's reply is on its way; a greeting would answer it with the bot's welcome).
function greetUnlessOpened() {
  if (business && sessionStorage.getItem(openedKey)) return;
  sendText(labels().greeting);
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new WebSocket(`${scheme}//${location.host}/ws`);
  const stored = localStorage.getItem(customerKey);
  socket.addEventListener('open', () => {
    socket.send(JSON.stringify({ v: 1, type: 'hello', botId, locale, ...(stored ? { customerId: stored } : {}) }));
  });
  socket.addEventListener('message', (event) => {
    let frame;
    try { frame = JSON.parse(event.data); } catch { return; }
    if (frame.type === 'welcome') {
      retry = 0;
      botLocales = frame.locales || [];
      if (offlineNotice) { offlineNotice.remove(); offlineNotice = undefined; }
      localStorage.setItem(customerKey, frame.customerId);
      document.body.dataset.ready = 'true';
      // A new visitor greets; a returning one is answered with a history frame, which decides.
      if (!openBusiness() && !stored) sendText(labels().greeting);
    } else if (frame.type === 'history') showHistory(frame.entries || []);
    else if (frame.type === 'message') render(frame.message);
    else if (frame.type === 'place') showPlace(frame.business);
    // Error frames are for developers (see the console); customers get a short note in their language.
    else if (frame.type === 'error') {
      console.warn('web chat error', frame.code, frame.message);
      bubble('notice', frame.code === 'VT_ERR_CHANNEL_RATE_LIMITED' ? labels().slowDown : labels().failed);
    }
  });
  socket.addEventListener('close', (event) => {
    document.body.dataset.ready = 'false';
    // Closed for a limit (the reason starts with its VT_ERR_* code, see docs/webchat-protocol.md): reconnecting would not help.
    if (event.code === 1008 || event.code === 1009) { console.warn('web chat closed', event.reason); bubble('notice', labels().closed); return; }
    if (!offlineNotice) offlineNotice = bubble('notice', labels().offline);
    retry = Math.min(retry + 1, 6);
    setTimeout(connect, 500 * 2 ** retry);
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (text && sendText(text)) input.value = '';
  input.focus();
});

picker.addEventListener('change', () => {
  locale = picker.value;
  localStorage.setItem(localeKey, locale);
  applyLabels();
  const lang = locale.toLowerCase().split('-')[0];
  const served = botLocales.find((l) => l.toLowerCase() === locale.toLowerCase()) || botLocales.find((l) => l.toLowerCase().split('-')[0] === lang);
  const name = (LANGUAGES.find((l) => l.locale === locale) || {}).name;
  if (served) send({ type: 'text', text: `/lang ${served.toLowerCase()}` }, name);
});

buildPicker();
applyLabels();
connect();
