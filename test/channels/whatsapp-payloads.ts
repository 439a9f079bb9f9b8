import { createHmac } from 'node:crypto';

/** Payloads shaped like the Cloud API's documented webhook examples. */
export const PHONE_NUMBER_ID = '106540352242922';
export const CUSTOMER = '5511987654321';

let seq = 0;
/** A fresh wamid. */
export const wamid = (): string => `wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBM0Q${Date.now().toString(36)}${++seq}`;

function envelope(value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{
      id: '102290129340398',
      changes: [{
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value },
      }],
    }],
  };
}

function message(body: Record<string, unknown>, id: string, from = CUSTOMER, phoneNumberId = PHONE_NUMBER_ID): Record<string, unknown> {
  return envelope({
    contacts: [{ profile: { name: 'Ana Souza' }, wa_id: from }],
    messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...body }],
  }, phoneNumberId);
}

export const textMessage = (text: string, id = wamid(), from = CUSTOMER) => message({ type: 'text', text: { body: text } }, id, from);
export const buttonReply = (replyId: string, title: string, id = wamid(), from = CUSTOMER) =>
  message({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: replyId, title } } }, id, from);
export const listReply = (replyId: string, title: string, id = wamid(), from = CUSTOMER) =>
  message({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: replyId, title, description: '' } } }, id, from);
export const orderMessage = (items: { sku: string; quantity: number }[], id = wamid()) =>
  message({
    type: 'order',
    order: { catalog_id: '194836987003835', text: 'for pickup', product_items: items.map((i) => ({ product_retailer_id: i.sku, quantity: i.quantity, item_price: 0.9, currency: 'BRL' })) },
  }, id);
export const stickerMessage = (id = wamid()) => message({ type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'abc', id: '1003383421387256', animated: false } }, id);
export const locationMessage = (id = wamid()) => message({ type: 'location', location: { latitude: -23.5505, longitude: -46.6333, name: 'Praça da Sé' } }, id);
export const statusUpdate = (status: string, about: string, timestamp: number) => envelope({
  statuses: [{ id: about, status, timestamp: String(timestamp), recipient_id: CUSTOMER, pricing: { billable: true, pricing_model: 'PMP', category: 'service' } }],
});

/** The `X-Hub-Signature-256` header for a body. */
export const sign = (body: string, secret: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
