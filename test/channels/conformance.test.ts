import { createConsoleAdapter } from '../../adapters/console/index.ts';
import { createHttpJsonAdapter, type HttpJsonOutbound } from '../../adapters/http-json/index.ts';
import { runAdapterConformance, type RenderedShape } from '../../adapters/kit/conformance.ts';
import { createTelegramAdapter, type TelegramOutbound } from '../../adapters/telegram/index.ts';
import { createWebchatAdapter, type WebchatFrame } from '../../adapters/webchat/index.ts';
import { createWhatsAppAdapter, type WhatsAppOutbound } from '../../adapters/whatsapp/index.ts';
import { buttonReply, listReply, locationMessage, orderMessage, stickerMessage, textMessage } from './whatsapp-payloads.ts';

const none = { buttons: [], rows: [] };

runAdapterConformance('console', () => createConsoleAdapter({ write: () => undefined }), {
  describe: (text: string): RenderedShape => ({ texts: [text], ...none }),
  valid: [{ customerId: 'ana', text: 'padaria', messageId: 'ana-1' }],
});

runAdapterConformance('whatsapp', () => createWhatsAppAdapter({ accessToken: 't', phoneNumberId: '1' }), {
  describe(m: WhatsAppOutbound): RenderedShape {
    if (m.type === 'text') return { texts: [m.text.body], ...none };
    if (m.type === 'image') return { texts: m.image.caption ? [m.image.caption] : [], ...none };
    const i = m.interactive;
    if (i.type === 'button') return { texts: [i.body.text], buttons: i.action.buttons.map((b) => b.reply), rows: [] };
    if (i.type === 'list') return { texts: [i.body.text, i.action.button], buttons: [], rows: i.action.sections.flatMap((s) => s.rows) };
    if (i.type === 'cta_url') return { texts: [i.body.text, i.action.parameters.display_text], ...none };
    return { texts: [i.body.text], ...none };
  },
  valid: [textMessage('oi'), buttonReply('a', 'Apples'), listReply('b', 'Bread'), orderMessage([{ sku: 'A', quantity: 1 }]), locationMessage(), stickerMessage()],
  malformed: [
    { object: 'whatsapp_business_account' },
    { object: 'whatsapp_business_account', entry: [{ changes: 'x' }] },
    { object: 'whatsapp_business_account', entry: [{ changes: [{ value: { metadata: { phone_number_id: '1' }, messages: [{ from: '1', id: 'w', type: 'text', text: {} }] } }] }] },
    { object: 'whatsapp_business_account', entry: [{ changes: [{ value: { metadata: { phone_number_id: '1' }, messages: [{ from: '1', id: 'w', type: 'order', order: { product_items: [{ quantity: 'lots' }] } }] } }] }] },
  ],
  tap: (id) => buttonReply(id, 'tapped'),
});

runAdapterConformance('telegram', () => createTelegramAdapter({ token: '1:t' }), {
  describe(m: TelegramOutbound): RenderedShape {
    if (m.method === 'sendPhoto') return { texts: m.caption ? [m.caption] : [], ...none };
    const buttons = (m.reply_markup?.inline_keyboard.flat() ?? []).flatMap((b) => ('callback_data' in b ? [{ id: b.callback_data, title: b.text }] : []));
    return { texts: [m.text], buttons, rows: [] };
  },
  valid: [
    { update_id: 1, message: { message_id: 1, from: { id: 5, is_bot: false, first_name: 'Rui' }, chat: { id: 5, type: 'private' }, date: 1, text: 'oi' } },
    { update_id: 2, callback_query: { id: 'q', from: { id: 5, is_bot: false, first_name: 'Rui' }, chat_instance: 'c', data: 'a', message: { message_id: 3, chat: { id: 5, type: 'private' }, date: 1 } } },
  ],
  malformed: [{ update_id: 3, message: { chat: {} } }, { update_id: 4, message: { chat: { id: 1 }, text: 5 } }, { update_id: 5, callback_query: { id: 'q', data: 'a' } }],
  tap: (id) => ({ update_id: 9, callback_query: { id: 'q', from: { id: 5, is_bot: false, first_name: 'Rui' }, chat_instance: 'c', data: id, message: { message_id: 3, chat: { id: 5, type: 'private' }, date: 1 } } }),
});

runAdapterConformance('http-json', () => createHttpJsonAdapter(), {
  describe: (m: HttpJsonOutbound): RenderedShape => (m.type === 'image' ? { texts: m.caption ? [m.caption] : [], ...none } : { texts: [m.text], buttons: m.buttons ?? [], rows: [] }),
  valid: [{ messageId: 'm1', customerId: 'ana', text: 'hi' }, { messageId: 'm2', customerId: 'ana', optionId: 'a' }],
  malformed: [{ messageId: 'm1', customerId: 'ana' }, { messageId: '', customerId: 'ana', text: 'x' }],
  tap: (id) => ({ messageId: `tap-${id}`, customerId: 'ana', optionId: id }),
});

/** A web chat choice shows its options as buttons, or as a list past the button count. */
function webchatShape(frame: WebchatFrame): RenderedShape {
  if (frame.type !== 'message') return { texts: [], ...none };
  const m = frame.message;
  switch (m.kind) {
    case 'text': return { texts: [m.text], ...none };
    case 'choice': {
      const tappable = m.options.map((o) => ({ id: o.id, title: o.label, ...(o.description ? { description: o.description } : {}) }));
      return tappable.length <= 12 ? { texts: [m.text], buttons: tappable, rows: [] } : { texts: [m.text], buttons: [], rows: tappable };
    }
    case 'product': return { texts: [m.text ?? '', m.product.name, m.product.description], ...none };
    case 'productList': return { texts: [m.title, ...m.products.map((p) => p.name), m.footer ?? ''], ...none };
    case 'cart': return { texts: [m.title, ...m.lines.map((l) => l.name)], ...none };
    case 'paymentLink': return { texts: [m.text], buttons: [], rows: [] };
    case 'orderStatus': return { texts: [m.text, ...m.lines.map((l) => l.name)], ...none };
    case 'image': return { texts: m.caption ? [m.caption] : [], ...none };
  }
}

runAdapterConformance('webchat', () => createWebchatAdapter(), {
  describe: webchatShape,
  valid: [
    { customerId: 'cust-0001', frame: '{"v":1,"type":"text","id":"a1","text":"padaria"}' },
    { customerId: 'cust-0001', locale: 'pt-BR', frame: { v: 1, type: 'choice', id: 'a2', optionId: 'business:x' } },
  ],
  malformed: [{ customerId: 'cust-0001', frame: '{' }, { customerId: '', frame: '{"v":1,"type":"text","id":"a1","text":"x"}' }, { customerId: 'cust-0001', frame: { v: 2, type: 'text', id: 'x', text: 'a' } }],
  tap: (id) => ({ customerId: 'cust-0001', frame: { v: 1, type: 'choice', id: 'tap-1', optionId: id } }),
});
