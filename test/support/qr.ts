import jsqr from 'jsqr';
import { PNG } from 'pngjs';

/**
 * The text a QR code in a PNG image holds (a generated code or a screenshot
 * of one), as a phone camera would read it; `undefined` when none is found.
 *
 * @example
 * ```ts
 * expect(readQrCode(await page.screenshot())).toBe('https://shop.example.com/b/corner-bakery');
 * ```
 */
export function readQrCode(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  // jsqr is CommonJS: its module is the function, which also carries itself as `default` (how its types see it).
  return jsqr.default(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
