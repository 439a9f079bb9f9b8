import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadBot, storedHandoffSettings, type ConfigProblem } from '../../engine/index.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The problems of the directory bot with `setting` appended to the bakery's file. */
async function problemsWith(setting: string): Promise<{ problems: ConfigProblem[]; file: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-handoff-setting-'));
  dirs.push(dir);
  cpSync(path.join(root, 'bots', 'directory'), dir, { recursive: true });
  const file = path.join(dir, 'businesses', 'padaria-sao-jorge.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}${setting}`);
  try {
    await loadBot(dir);
    return { problems: [], file };
  } catch (err) {
    if (err instanceof ConfigError) return { problems: err.problems, file };
    throw err;
  }
}

describe('a business\'s handoff setting', () => {
  it('takes a number of minutes to wait for the staff\'s first answer', async () => {
    expect((await problemsWith('handoff:\n  answerWithinMinutes: 15\n')).problems).toEqual([]);
    expect(storedHandoffSettings('{"answerWithinMinutes":15}').answerWithinMinutes).toBe(15);
    expect(storedHandoffSettings('{}').answerWithinMinutes).toBe(10);
  });

  it('names a bad value with its file, line and path', async () => {
    const { problems, file } = await problemsWith('handoff:\n  answerWithinMinutes: 0\n');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('answerWithinMinutes')) + 1;
    expect(problems).toEqual([expect.objectContaining({ file, line, path: 'handoff.answerWithinMinutes', message: 'must be at least 1, got the number 0' })]);
  });

  it('names an unknown key of the setting', async () => {
    const { problems } = await problemsWith('handoff:\n  answerWithin: 10\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toMatch(/^handoff/);
  });
});
