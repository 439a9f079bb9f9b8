import QRCode from 'qrcode';

/** The image formats a link's QR code comes in. */
export const QR_FORMATS = ['svg', 'png'] as const;

/** A QR code image format. */
export type QrFormat = (typeof QR_FORMATS)[number];

/** Medium error correction (15%): survives a smudge on a printed counter card, stays small. */
const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/**
 * A QR code of `text` (a link), as SVG text or a 512-pixel PNG, made with the
 * `qrcode` library.
 *
 * @example
 * ```ts
 * const svg = await qrCode('https://shop.example.com/b/corner-bakery', 'svg'); // '<svg xmlns=…'
 * const png = await qrCode('https://shop.example.com/b/corner-bakery', 'png'); // Buffer
 * ```
 */
export async function qrCode(text: string, format: 'svg'): Promise<string>;
export async function qrCode(text: string, format: 'png'): Promise<Buffer>;
export async function qrCode(text: string, format: QrFormat): Promise<string | Buffer>;
export async function qrCode(text: string, format: QrFormat): Promise<string | Buffer> {
  if (format === 'svg') return QRCode.toString(text, { ...OPTIONS, type: 'svg' });
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: 512 });
}

/** The HTTP content type of a QR code format. */
export const QR_CONTENT_TYPES: Record<QrFormat, string> = { svg: 'image/svg+xml', png: 'image/png' };
