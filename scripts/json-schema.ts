/**
 * Writes JSON Schemas for editors: flows/flow.schema.json (flow files) and
 * bots/bot.schema.json (bot.yaml). `npm run schema`; a test fails when they
 * are out of date.
 *
 * Point an editor at them, e.g. first line of a flow file:
 *   # yaml-language-server: $schema=./flow.schema.json
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemas } from '../engine/config/json-schemas.ts';

const root = path.resolve(import.meta.dirname, '..');
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(path.join(root, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
