import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, startServer, tempDir, type ProcessExit } from '../support/server-process.ts';

// What a business sees when it starts Vitrine: a broken bot does not take the others down,
// a busy port is one clear line, and npm start stops when it is told to.

const tmp = tempDir('startup');
afterAll(() => tmp.remove());

/** A folder of bots: the corner bakery as shipped, and a copy whose bot.yaml has a key bots do not have. */
function botsFolder(name: string, { good = true } = {}): string {
  const dir = path.join(tmp.dir, name);
  if (good) cpSync(path.join(REPO_ROOT, 'bots', 'corner-bakery'), path.join(dir, 'corner-bakery'), { recursive: true });
  const broken = path.join(dir, 'broken-bakery');
  cpSync(path.join(REPO_ROOT, 'bots', 'corner-bakery'), broken, { recursive: true });
  const yaml = path.join(broken, 'bot.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^id: .*$/m, 'id: broken-bakery') + 'colour: blue\n');
  return dir;
}

/** Runs a command of the project to its end. */
function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('starting Vitrine', () => {
  it('runs the valid bots when one bot folder has problems, logs them with file and line, and lists them at /ready', async () => {
    const server = await startServer({ databaseUrl: tmp.databaseUrl, env: { BOTS_DIR: botsFolder('mixed') } });
    try {
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(200);
      const body = await ready.json() as { status: string; brokenBots: { bot: string; problems: string[] }[] };
      expect(body.status).toBe('ready');
      expect(body.brokenBots.map((b) => b.bot)).toEqual(['broken-bakery']);
      expect(body.brokenBots[0]?.problems).toEqual([expect.stringMatching(/broken-bakery\/bot\.yaml:\d+:\d+ .*colour/)]);
      expect(server.output()).toContain('bot broken-bakery has problems and is not running; the other bots are');
      // The shipped bakery takes test payments: the start says so.
      await expect.poll(() => server.output()).toContain('Payments are in TEST MODE for corner-bakery: no money moves (provider sandbox).');
      expect((await fetch(`${server.url}/chat/corner-bakery`)).status).toBe(200);
      expect((await fetch(`${server.url}/chat/broken-bakery`)).status).toBe(404);
    } finally {
      await server.kill('SIGTERM');
    }
  }, 90_000);

  it('refuses to start when no bot loads, naming each problem', () => {
    const { code, output } = run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      BOTS_DIR: botsFolder('all-broken', { good: false }), PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(tmp.dir, 'none.db')}`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/broken-bakery\/bot\.yaml:\d+:\d+ .*colour/);
  }, 120_000);

  it('refuses to start in production a bot that takes test payments, saying what to configure instead', () => {
    const dir = path.join(tmp.dir, 'production');
    cpSync(path.join(REPO_ROOT, 'bots', 'corner-bakery'), path.join(dir, 'corner-bakery'), { recursive: true });
    const { code, output } = run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      NODE_ENV: 'production', BOTS_DIR: dir, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(tmp.dir, 'production.db')}`,
    });
    expect(code).toBe(1);
    expect(output).toMatch(/corner-bakery\/bot\.yaml:\d+:\d+ payments\.provider: payment provider "sandbox" is not configured here: the test payment sandbox is off here \(it never runs when NODE_ENV is production\); configure a real provider instead, such as stripe/);
    expect(output).not.toContain('TEST MODE');
  }, 120_000);

  it('says in one line that the port is taken, without a stack', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as { port: number }).port;
    try {
      const { code, output } = run(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(tmp.dir, 'port.db')}`,
      });
      expect(code).toBe(1);
      expect(output).toContain(`Cannot listen on 127.0.0.1:${port}: another program is using it: stop that program, or start Vitrine with PORT set to a free port.`);
      expect(output).not.toMatch(/EADDRINUSE|\n\s+at /);
    } finally {
      busy.close();
    }
  }, 120_000);

  it('npm start stops when npm is sent SIGTERM (as a service manager or a container runtime does)', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: REPO_ROOT, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `file:${path.join(tmp.dir, 'npm.db')}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const running = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes('Vitrine is running')) resolve();
      };
      npm.stdout.on('data', onData);
      npm.stderr.on('data', onData);
    });
    const exited = new Promise<ProcessExit>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      await Promise.race([running, exited.then(() => { throw new Error(`npm start ended early:\n${output}`); })]);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      npm.kill('SIGTERM');
      await exited;
      // The server itself stopped, not only npm: nothing answers on its port.
      await expect(fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
  }, 180_000);

  it('npm run validate checks a folder of bots, and the folders npm start runs (BOTS_DIR)', () => {
    const folder = botsFolder('validate');
    const given = run('npm', ['run', '--silent', 'validate', '--', folder]);
    expect(given.code).toBe(1);
    expect(given.output).toMatch(/broken-bakery\/bot\.yaml:\d+:\d+ .*colour/);
    expect(given.output).toContain('1 problem found');
    const fromEnv = run('npm', ['run', '--silent', 'validate'], { BOTS_DIR: folder });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.output).toContain('1 problem found');
  }, 120_000);
});
