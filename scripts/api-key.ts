/**
 * Creates an API key for a business and prints it once (only its SHA-256 is stored).
 *
 *   npm run api-key -- --bot directory --business padaria-sao-jorge [--label "shop laptop"]
 *
 * Use it as `Authorization: Bearer <key>` on /api/v1. DATABASE_URL picks the database.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, openDatabase } from '../engine/db/index.ts';
import { hashApiKey } from '../server/routes/business-api.ts';

const { values } = parseArgs({
  options: {
    bot: { type: 'string' },
    business: { type: 'string' },
    label: { type: 'string', default: '' },
    database: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (!values.bot || !values.business) {
    console.error('Usage: npm run api-key -- --bot <bot id> --business <business slug> [--label <text>]');
    process.exit(2);
  }
  const db = await openDatabase({ url: values.database ?? process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL });
  try {
    const business = await db.business.findUnique({ where: { botId_slug: { botId: values.bot, slug: values.business } } });
    if (!business) {
      const known = await db.business.findMany({ where: { botId: values.bot }, select: { slug: true }, orderBy: { slug: 'asc' } });
      console.error(`No business "${values.business}" in bot "${values.bot}".${known.length > 0 ? ` Businesses: ${known.map((b) => b.slug).join(', ')}` : ' Has the server (or npm run setup) seeded it?'}`);
      process.exitCode = 1;
      return;
    }
    const key = `vt_${randomBytes(32).toString('base64url')}`;
    await db.apiKey.create({ data: { businessId: business.id, label: values.label, hash: hashApiKey(key) } });
    console.log(`API key for ${business.name} (${values.bot}/${values.business}). It is shown only once:\n\n  ${key}\n`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
