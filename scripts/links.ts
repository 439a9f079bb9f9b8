/**
 * Prints the chat links of every bot (or one) and of each of its businesses,
 * and writes their QR codes (SVG and PNG).
 *
 *   npm run links                                   # every bot in bots/
 *   npm run links -- directory                      # one bot (or bots/directory)
 *   npm run links -- corner-bakery --out qr --public-url https://shop.example.com
 *
 * The links start with `--public-url`, else `PUBLIC_URL`, else
 * http://localhost:<PORT or 3000>. QR codes go to `--out` (default
 * `data/links`): `<bot>.svg|png` and `<bot>/<business>.svg|png` for the web
 * chat links, with `-whatsapp` before the extension for the `wa.me` links.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, createI18n, formatProblem, loadBot, type LoadedBot } from '../engine/index.ts';
import { standardTexts } from '../flows/index.ts';
import { qrCode, QR_FORMATS } from '../adapters/webchat/index.ts';
import { chatLinks, type ChatLink } from '../server/links.ts';
import { BOTS_DIR, listBotDirs } from '../server/runtime.ts';

/** Writes the QR codes of one link as `<stem>.svg|png` (and `<stem>-whatsapp.svg|png`); returns the files. */
async function writeQrCodes(link: ChatLink, stem: string): Promise<string[]> {
  await mkdir(path.dirname(stem), { recursive: true });
  const files: string[] = [];
  for (const [suffix, target] of [['', link.url], ['-whatsapp', link.whatsapp]] as const) {
    if (!target) continue;
    for (const format of QR_FORMATS) {
      const file = `${stem}${suffix}.${format}`;
      await writeFile(file, await qrCode(target, format));
      files.push(file);
    }
  }
  return files;
}

function describe(link: ChatLink, files: readonly string[], indent: string): string[] {
  const cwd = process.cwd();
  return [
    `${indent}chat:      ${link.url}`,
    ...(link.whatsapp ? [`${indent}WhatsApp:  ${link.whatsapp}`] : []),
    ...(link.firstMessage ? [`${indent}message:   ${link.firstMessage}`] : []),
    `${indent}QR codes:  ${files.map((f) => path.relative(cwd, f)).join(', ')}`,
  ];
}

async function loadBots(wanted: string | undefined): Promise<LoadedBot[]> {
  const dirs = listBotDirs();
  if (wanted === undefined) return Promise.all(dirs.map((dir) => loadBot(dir)));
  const dir = wanted.includes('/') ? path.resolve(wanted) : path.join(BOTS_DIR, wanted);
  const all = await Promise.all(dirs.filter((d) => d !== dir).map((d) => loadBot(d)));
  if (!dirs.includes(dir) && !wanted.includes('/')) {
    throw new Error(`no bot "${wanted}" in ${path.relative(process.cwd(), BOTS_DIR) || BOTS_DIR}: expected one of ${dirs.map((d) => path.basename(d)).join(', ')}`);
  }
  // The other bots are loaded too: a business slug they also hold gets its bot in the link.
  return [await loadBot(dir), ...all];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' }, 'public-url': { type: 'string' } }, allowPositionals: true });
  const publicUrl = values['public-url'] ?? process.env['PUBLIC_URL'] ?? `http://localhost:${process.env['PORT'] ?? '3000'}`;
  const out = path.resolve(values.out ?? path.join('data', 'links'));
  const bots = await loadBots(positionals[0]);
  const i18n = await createI18n({ defaults: standardTexts() });
  for (const bot of bots) i18n.setBotTexts(bot.runtime.id, bot.texts);
  const shown = positionals[0] === undefined ? bots : bots.slice(0, 1);
  const links = chatLinks(bots, i18n, publicUrl);
  for (const bot of shown) {
    const id = bot.runtime.id;
    console.log(`${id} — ${bot.runtime.name}`);
    for (const link of links.filter((l) => l.botId === id)) {
      const stem = link.business ? path.join(out, id, link.business.slug) : path.join(out, id);
      if (link.business) console.log(`  ${link.business.name} (${link.business.slug})`);
      console.log(describe(link, await writeQrCodes(link, stem), link.business ? '    ' : '  ').join('\n'));
    }
    console.log('');
  }
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  if (err instanceof ConfigError) for (const p of err.problems) console.error(formatProblem(p));
  else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
