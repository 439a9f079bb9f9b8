import type { OutboundMessage } from '../../engine/index.ts';
import { charLength, numberedText } from './degrade.ts';

/**
 * Plain text for any outbound message: what a text-only channel shows, and
 * what rich channels fall back to for kinds they do not render natively.
 *
 * @example
 * ```ts
 * textOf({ kind: 'paymentLink', text: 'Pay here', url: 'https://pay.example/1', label: 'Pay', amount: 'R$1.80', orderNumber: 'VT-1' });
 * // 'Pay here\nPay: https://pay.example/1'
 * ```
 */
export function textOf(message: OutboundMessage): string {
  switch (message.kind) {
    case 'text':
    case 'handoff':
      return message.text;
    case 'choice':
      return numberedText(message);
    case 'product': {
      const p = message.product;
      return [message.text, p.name, p.description, p.price.formatted].filter((s) => s !== undefined && s !== '').join('\n');
    }
    case 'productList':
      return [message.title, ...message.products.map((p) => `• ${p.name}: ${p.price.formatted}`), message.footer]
        .filter((s) => s !== undefined && s !== '').join('\n');
    case 'cart':
      return [message.title, ...message.lines.map((l) => `${l.quantity} × ${l.name}: ${l.lineTotal}`), `= ${message.total}`].join('\n');
    case 'paymentLink':
      // A code to pay with (Pix) goes on a line of its own, to be copied whole.
      return [message.text, ...(message.code ? [message.code.value] : []), `${message.label}: ${message.url}`].join('\n');
    case 'orderStatus':
      return [message.text, ...message.lines.map((l) => `${l.quantity} × ${l.name}: ${l.lineTotal}`), ...(message.fee ? [`${message.fee.label}: ${message.fee.amount}`] : [])].join('\n');
    case 'image':
      return message.caption ? `${message.caption}\n${message.url}` : message.url;
  }
}

/**
 * Splits text into pieces of at most `max` characters, at line breaks when it
 * can, else at spaces, else anywhere. Nothing is dropped.
 *
 * @example
 * ```ts
 * splitText('a\nb', 1); // ['a', 'b']
 * ```
 */
export function splitText(text: string, max: number): string[] {
  if (charLength(text) <= max) return [text];
  const pieces: string[] = [];
  let rest = [...text];
  while (rest.length > max) {
    const window = rest.slice(0, max + 1).join('');
    let cut = window.lastIndexOf('\n');
    if (cut <= 0) cut = window.lastIndexOf(' ');
    const at = cut > 0 ? [...window.slice(0, cut)].length : max;
    pieces.push(rest.slice(0, at).join(''));
    rest = rest.slice(cut > 0 ? at + 1 : at);
  }
  if (rest.length > 0) pieces.push(rest.join(''));
  return pieces;
}
