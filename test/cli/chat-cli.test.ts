import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOTS_DIR } from '../../server/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const root = mkdtempSync(path.join(tmpdir(), 'vitrine-chat-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `npm run chat` with `args`, typing `lines`; resolves with its exit code and output. */
function chat(args: string[], lines: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'scripts/chat.ts', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(lines.map((l) => `${l}\n`).join(''));
  });
}

describe('npm run chat', () => {
  it('chats with the bots of BOTS_DIR, as npm start, setup and validate read them', async () => {
    const bots = path.join(root, 'bots');
    const kiosk = path.join(bots, 'kiosk');
    cpSync(path.join(BOTS_DIR, 'corner-bakery'), kiosk, { recursive: true });
    const yaml = path.join(kiosk, 'bot.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('id: corner-bakery', 'id: kiosk').replace('name: Corner Bakery\n', 'name: Kiosk Bakery\n'));
    const done = await chat(['--bot', 'kiosk'], ['hi', '/quit'], { BOTS_DIR: bots, DATABASE_URL: `file:${path.join(root, 'chat.db')}` });
    expect(done.stderr).not.toContain('No bot');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Kiosk Bakery');
  }, 60_000);
});
