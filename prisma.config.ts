import { defineConfig } from 'prisma/config';

const url = process.env['DATABASE_URL'] ?? 'file:./data/vitrine.db';
const postgres = /^postgres(ql)?:\/\//i.test(url);

/**
 * Prisma CLI configuration, for the database `DATABASE_URL` names: SQLite's schema and
 * migrations, or PostgreSQL's (written from prisma/schema.prisma). The runtime opens the
 * database through a driver adapter and applies migrations itself (engine/db/).
 */
export default defineConfig({
  schema: postgres ? 'prisma/postgres/schema.prisma' : 'prisma/schema.prisma',
  migrations: { path: postgres ? 'prisma/postgres/migrations' : 'prisma/migrations' },
  datasource: { url },
});
