import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadServerConfig } from '../../server/config.ts';
import type { RuntimeOptions } from '../../server/runtime.ts';
import { createTestRuntime, type TestRuntime } from './test-runtime.ts';

/** Debian's Chromium, which the browser tests drive with playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where browser tests save their screenshots. */
export const ARTIFACTS = path.resolve(import.meta.dirname, '..', '..', 'test-artifacts');

/**
 * Whether Chromium is installed. Without it a browser test is skipped with a
 * warning, except in CI, where it must run: this throws there.
 *
 * @example
 * ```ts
 * const hasChromium = chromiumFor('the web chat browser test');
 * it.skipIf(!hasChromium)('…', async () => { … });
 * ```
 */
export function chromiumFor(what: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found && process.env['CI']) throw new Error(`${CHROMIUM} is missing: ${what} must run in CI`);
  if (!found) console.warn(`\n!!! ${CHROMIUM} not found: SKIPPING ${what} !!!\n`);
  return found;
}

/** Starts headless Chromium without the background traffic it would send to a closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Listens on a free loopback port and gives the server's base URL (`http://127.0.0.1:<port>`). */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The real server of a browser test, on loopback, and the browser. */
export interface ServedInChromium {
  readonly rt: TestRuntime;
  readonly base: string;
  readonly browser: Browser;
}

/**
 * Starts, for the tests of the enclosing `describe`, a real runtime and
 * server on loopback and headless Chromium (when `hasChromium`), and stops
 * them afterwards. Screenshots go to {@link ARTIFACTS}. `runtimeOptions`
 * (bots, payment providers …) is asked for when the server starts.
 *
 * @example
 * ```ts
 * const served = servedInChromium(hasChromium);
 * it('…', async () => { const page = await served.browser.newPage(); await page.goto(served.base); });
 * ```
 */
export function servedInChromium(hasChromium: boolean, runtimeOptions: () => RuntimeOptions = () => ({})): ServedInChromium {
  const state: { rt?: TestRuntime; app?: FastifyInstance; browser?: Browser; base: string } = { base: '' };
  beforeAll(async () => {
    if (!hasChromium) return;
    state.rt = await createTestRuntime(runtimeOptions());
    state.app = await buildApp({ runtime: state.rt, config: loadServerConfig({ LOG_LEVEL: 'silent' }) });
    state.base = await listenOnLoopback(state.app);
    state.browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.app?.close();
    await state.rt?.dispose();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser test server is not started');
    return value;
  };
  return {
    get rt() { return need(state.rt); },
    get base() { return state.base; },
    get browser() { return need(state.browser); },
  };
}
