import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
let rt: TestRuntime;
let app: FastifyInstance;

beforeAll(async () => {
  rt = await createTestRuntime();
  app = await buildApp({ runtime: rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
});
afterAll(async () => {
  await app?.close();
  await rt?.dispose();
});

/** `npm run api-key -- …args` on the test database; a failing run is returned, not thrown. */
async function apiKey(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/api-key.ts', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: rt.databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const orders = async (key: string) => (await app.inject({ url: '/api/v1/orders', headers: { authorization: `Bearer ${key}` } })).statusCode;

describe('npm run api-key', () => {
  it('creates a key shown once, lists it by id and label without its secret, and revokes it so the API refuses it', async () => {
    const shop = ['--bot', 'directory', '--business', 'padaria-sao-jorge'];
    const made = await apiKey(...shop, '--label', 'caixa');
    const key = /vt_[\w-]{40,}/.exec(made.stdout)?.[0] ?? '';
    const id = /API key (\S+) for Padaria São Jorge/.exec(made.stdout)?.[1] ?? '';
    expect(made.stdout).toContain('Sign in with it at /dashboard');
    expect(await orders(key)).toBe(200);

    const listed = await apiKey(...shop, '--list');
    expect(listed.stdout).toMatch(new RegExp(`^  ${id}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC  caixa$`, 'm'));
    expect(listed.stdout).not.toContain(key);

    // Another business cannot revoke it.
    const elsewhere = await apiKey('--bot', 'directory', '--business', 'taqueria-el-guero', '--revoke', id);
    expect([elsewhere.code, elsewhere.stderr.trim()]).toEqual([1, `Taquería El Güero has no API key ${id}. See its keys with --list.`]);
    expect(await orders(key)).toBe(200);

    const revoked = await apiKey(...shop, '--revoke', id);
    expect(revoked.stdout).toContain(`API key ${id} of Padaria São Jorge is revoked`);
    expect(await orders(key)).toBe(401);
    expect((await apiKey(...shop, '--list')).stdout.trim()).toBe('Padaria São Jorge has no API keys.');
  });

  it('prints its usage for --list and --revoke together, and names the businesses of a bot for an unknown one', async () => {
    const both = await apiKey('--bot', 'directory', '--business', 'padaria-sao-jorge', '--list', '--revoke', 'x');
    expect([both.code, both.stderr.split('\n')[0]]).toEqual([2, 'Usage: npm run api-key -- --bot <bot id> --business <business slug> [--label <text>]   prints a new key once']);
    const unknown = await apiKey('--bot', 'directory', '--business', 'no-such-shop', '--list');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No business "no-such-shop" in bot "directory". Businesses: ');
  });
});
