import type { OutboundMessage, ProductView } from '../../engine/index.ts';

/** `url` made absolute on `base` when it is a path on this server (`/media/…`); anything else as it is. */
function absolute(url: string, base: string | undefined): string {
  if (!base || !url.startsWith('/') || url.startsWith('//')) return url;
  return `${base.replace(/\/+$/, '')}${url}`;
}

function product(p: ProductView, base: string | undefined): ProductView {
  return p.imageUrl === undefined ? p : { ...p, imageUrl: absolute(p.imageUrl, base) };
}

/**
 * The message with the images that are paths on this server (a bot's image
 * files, `/media/<bot-id>/…`) made absolute on `publicUrl` (`PUBLIC_URL`), for
 * channels whose platform fetches images itself (WhatsApp, Telegram). Web
 * addresses are left as they are; without `publicUrl` nothing changes, and
 * such an image is then not a web address, which renderers send as text.
 *
 * @example
 * ```ts
 * withAbsoluteImages({ kind: 'image', url: '/media/corner-bakery/images/bun.jpg' }, 'https://shop.example.com');
 * // { kind: 'image', url: 'https://shop.example.com/media/corner-bakery/images/bun.jpg' }
 * ```
 */
export function withAbsoluteImages(message: OutboundMessage, publicUrl: string | undefined): OutboundMessage {
  switch (message.kind) {
    case 'product':
      return { ...message, product: product(message.product, publicUrl) };
    case 'productList':
      return { ...message, products: message.products.map((p) => product(p, publicUrl)) };
    case 'choice':
      return { ...message, options: message.options.map((o) => (o.product ? { ...o, product: product(o.product, publicUrl) } : o)) };
    case 'image':
      return { ...message, url: absolute(message.url, publicUrl) };
    default:
      return message;
  }
}
