/**
 * Writes docs/api-report.md, every name each package entry exports:
 * `npm run api-report`. A test fails when the entries and the report differ.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiReport } from './api-surface.ts';

const API_REPORT_FILE = 'docs/api-report.md';

writeFileSync(path.resolve(import.meta.dirname, '..', API_REPORT_FILE), await apiReport());
console.log(`wrote ${API_REPORT_FILE}`);
