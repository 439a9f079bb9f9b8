/**
 * A business's API keys (only their SHA-256 is stored): the staff dashboard and the
 * business API (`Authorization: Bearer <key>` on /api/v1) sign in with them.
 *
 *   npm run api-key -- --bot directory --business padaria-sao-jorge [--label "shop laptop"]   new key, shown once
 *   npm run api-key -- --bot directory --business padaria-sao-jorge --list                    the keys, without their secret
 *   npm run api-key -- --bot directory --business padaria-sao-jorge --revoke <key id>          a key stops working at once
 *
 * DATABASE_URL picks the database.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, openDatabase, type Db } from '../engine/db/index.ts';
import { hashApiKey } from '../server/routes/business-api.ts';

const USAGE = [
  'Usage: npm run api-key -- --bot <bot id> --business <business slug> [--label <text>]   prints a new key once',
  '       npm run api-key -- --bot <bot id> --business <business slug> --list             lists its keys',
  '       npm run api-key -- --bot <bot id> --business <business slug> --revoke <key id>  revokes one',
].join('\n');

const { values } = parseArgs({
  options: {
    bot: { type: 'string' },
    business: { type: 'string' },
    label: { type: 'string', default: '' },
    list: { type: 'boolean', default: false },
    revoke: { type: 'string' },
    database: { type: 'string' },
  },
});

type Business = { id: string; name: string };

async function create(db: Db, business: Business): Promise<void> {
  const key = `vt_${randomBytes(32).toString('base64url')}`;
  const row = await db.apiKey.create({ data: { businessId: business.id, label: values.label, hash: hashApiKey(key) } });
  console.log(`API key ${row.id} for ${business.name} (${values.bot}/${values.business}). It is shown only once:\n\n  ${key}\n`);
  console.log('Sign in with it at /dashboard on the server, or send it as "Authorization: Bearer <key>" to /api/v1.');
}

async function list(db: Db, business: Business): Promise<void> {
  const keys = await db.apiKey.findMany({ where: { businessId: business.id }, orderBy: { createdAt: 'asc' } });
  if (keys.length === 0) {
    console.log(`${business.name} has no API keys.`);
    return;
  }
  console.log(`API keys of ${business.name}:`);
  for (const k of keys) console.log(`  ${k.id}  ${k.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC  ${k.label || '(no label)'}`);
}

async function revoke(db: Db, business: Business, id: string): Promise<void> {
  // Only a key of this business: an id of another business's key is unknown here.
  const gone = await db.apiKey.deleteMany({ where: { id, businessId: business.id } });
  if (gone.count === 0) {
    console.error(`${business.name} has no API key ${id}. See its keys with --list.`);
    process.exitCode = 1;
    return;
  }
  console.log(`API key ${id} of ${business.name} is revoked: requests with it are refused from now on.`);
}

async function main(): Promise<void> {
  if (!values.bot || !values.business || (values.list && values.revoke !== undefined)) {
    console.error(USAGE);
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
    if (values.list) await list(db, business);
    else if (values.revoke !== undefined) await revoke(db, business, values.revoke);
    else await create(db, business);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
