import { defineConfig } from 'prisma/config';

/** Prisma CLI configuration. The runtime opens the database through a driver adapter instead. */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env['DATABASE_URL'] ?? 'file:./data/vitrine.db' },
});
