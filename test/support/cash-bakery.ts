import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A copy of the example corner bakery that takes cash on delivery, in a
 * temporary folder: the shop marks its orders paid itself.
 *
 * @example
 * ```ts
 * const rt = await createTestRuntime({ botDirs: [cashBakery()] });
 * ```
 */
export function cashBakery(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-cash-bakery-'));
  cpSync(path.resolve(import.meta.dirname, '..', '..', 'bots', 'corner-bakery'), dir, { recursive: true });
  const file = path.join(dir, 'bot.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('provider: sandbox', 'provider: cash'));
  return dir;
}
