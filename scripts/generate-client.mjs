// Generates both Prisma clients offline (run by `npm install`): the SQLite one from
// prisma/schema.prisma and the PostgreSQL one from prisma/postgres/schema.prisma, which is
// written from it first. Prisma's CLI looks for a native schema engine, which it would
// download; generation does not need it, so point it at a stub executable.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { POSTGRES_SCHEMA_PATH, SCHEMA_PATH, writePostgresSchema } from './postgres-schema.mjs';

const root = path.resolve(import.meta.dirname, '..');
const stubDir = path.join(root, 'node_modules', '.cache', 'vitrine');
const stub = path.join(stubDir, 'schema-engine-stub');
mkdirSync(stubDir, { recursive: true });
writeFileSync(stub, '#!/bin/sh\nexit 0\n');
chmodSync(stub, 0o755);
writePostgresSchema();
for (const schema of [SCHEMA_PATH, POSTGRES_SCHEMA_PATH]) {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--schema', schema], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}
