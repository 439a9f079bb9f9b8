import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * A product's `image`: a web address (`https://…`), or a JPEG or PNG file in
 * the bot's folder named by its path from that folder (`images/bread.jpg`),
 * which the server serves under `/media/<bot-id>/<path>`.
 */

/** The file types a product image may be, by extension: those WhatsApp and Telegram accept. */
export const PRODUCT_IMAGE_TYPES: Readonly<Record<string, string>> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

/** Where a bot's image files are served, before the bot's id. */
export const MEDIA_PATH = '/media';

/** Whether `image` is a web address rather than a file of the bot. */
export const isWebImage = (image: string): boolean => /^https?:\/\//i.test(image);

/** A path of plain segments: no leading `/`, no `.` or `..`, no backslash, no scheme, no empty segment. */
const SEGMENT = /^(?!\.{1,2}$)[^/\\:\0?#%]+$/;

/**
 * The file path of an image named by path, or undefined when it is not one a
 * bot may name: a relative path of plain segments, ending in `.jpg`, `.jpeg` or `.png`.
 *
 * @example
 * ```ts
 * imageFilePath('images/white-sourdough.jpg'); // 'images/white-sourdough.jpg'
 * imageFilePath('../secret.png');              // undefined
 * imageFilePath('images/logo.svg');            // undefined
 * ```
 */
export function imageFilePath(image: string): string | undefined {
  const segments = image.split('/');
  if (!segments.every((s) => SEGMENT.test(s))) return undefined;
  const extension = /\.[^.]+$/.exec(image)?.[0].toLowerCase() ?? '';
  return PRODUCT_IMAGE_TYPES[extension] ? image : undefined;
}

/**
 * What is wrong with a product's `image` as written, or undefined when it is
 * a web address or a path a bot may name (the file's presence is checked when the bot loads).
 *
 * @example
 * ```ts
 * imageProblem('images/bread.gif'); // 'expected a web address (https://…) or a .jpg, .jpeg or .png file inside the bot\'s folder …'
 * imageProblem('https://cdn.example.com/bread.jpg'); // undefined
 * ```
 */
export function imageProblem(image: string): string | undefined {
  if (isWebImage(image)) return URL.canParse(image) ? undefined : `not a valid web address: ${JSON.stringify(image)}`;
  if (imageFilePath(image)) return undefined;
  return `expected a web address (https://…) or a .jpg, .jpeg or .png file inside the bot's folder, by its path from that folder (such as "images/bread.jpg"), got ${JSON.stringify(image)}`;
}

/**
 * The address a product's image is shown from: a web address as written, a
 * file of the bot as a path on this server (`/media/<bot-id>/<path>`), which a
 * channel that needs an absolute address prefixes with `PUBLIC_URL`.
 *
 * @example
 * ```ts
 * productImageUrl('corner-bakery', 'images/white-sourdough.jpg'); // '/media/corner-bakery/images/white-sourdough.jpg'
 * productImageUrl('directory', 'https://cdn.example.com/x.jpg');   // 'https://cdn.example.com/x.jpg'
 * ```
 */
export function productImageUrl(botId: string, image: string): string {
  if (isWebImage(image)) return image;
  return `${MEDIA_PATH}/${encodeURIComponent(botId)}/${image.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The real path of a bot's image file, or undefined when there is none: not
 * a path a bot may name, missing, not a file, or (through a link) outside the bot's folder.
 *
 * @example
 * ```ts
 * await botImageFile('bots/corner-bakery', 'images/white-sourdough.jpg'); // '/…/bots/corner-bakery/images/white-sourdough.jpg'
 * await botImageFile('bots/corner-bakery', 'images/missing.jpg');         // undefined
 * ```
 */
export async function botImageFile(botDir: string, image: string): Promise<string | undefined> {
  const relative = imageFilePath(image);
  if (!relative) return undefined;
  try {
    const [root, file] = await Promise.all([realpath(botDir), realpath(path.join(botDir, relative))]);
    if (!file.startsWith(root + path.sep) || !(await stat(file)).isFile()) return undefined;
    return file;
  } catch {
    return undefined;
  }
}
