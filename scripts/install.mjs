// Run by `npm install`. In the repository it generates the Prisma clients (scripts/generate-client.mjs);
// installed as a package (from the registry or a packed tarball) the clients come built in dist/,
// and there is no schema to generate from.
import { existsSync } from 'node:fs';
import path from 'node:path';

if (existsSync(path.join(import.meta.dirname, '..', 'prisma', 'schema.prisma'))) await import('./generate-client.mjs');
