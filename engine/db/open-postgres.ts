import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated-pg/client.ts';
import { postgresConfig } from './database-url.ts';
import { migratePostgres } from './migrate-postgres.ts';
import type { AppliedMigration } from './migration-files.ts';
import { postgresError } from './postgres-error.ts';

/** The client generated from prisma/postgres/schema.prisma. */
export type PostgresClient = PrismaClient;

/**
 * Opens a PostgreSQL database (`postgresql://…`) through a `pg` pool, applying pending
 * migrations first unless `migrate` is false. Fails fast when the server cannot be reached.
 *
 * @example
 * ```ts
 * const db = await openPostgres('postgresql://app@localhost:5432/shop?connection_limit=20', { migrate: true });
 * ```
 */
export async function openPostgres(url: string, options: { migrate: boolean; onMigration?: (m: AppliedMigration) => void }): Promise<PostgresClient> {
  const config = postgresConfig(url);
  if (options.migrate) {
    for (const migration of await migratePostgres(url)) options.onMigration?.(migration);
  }
  const adapter = new PrismaPg(
    { connectionString: config.connectionString, max: config.poolSize, connectionTimeoutMillis: config.connectTimeoutMs, options: config.sessionOptions },
    { onPoolError: () => undefined }, // an idle connection dropped by the server is replaced on next use
  );
  const db = new PrismaClient({ adapter });
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return db;
  } catch (err) {
    await db.$disconnect().catch(() => undefined);
    throw postgresError('Could not connect to', config, err);
  }
}
