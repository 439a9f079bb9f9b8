import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConversation, type TestConversation } from '../../adapters/console/index.ts';
import { FileWatcher, type WatchEvent } from '../../server/file-watcher.ts';
import { createTestRuntime, type TestRuntime } from '../support/test-runtime.ts';
import { optionNumber, plain } from '../support/text.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('bots and flows reloaded when their files change, without a restart', () => {
  let work = '';
  let rt: TestRuntime;
  let watcher: FileWatcher;
  const events: WatchEvent[] = [];
  let waiting: ((e: WatchEvent) => void) | undefined;
  const bakery = () => path.join(work, 'bots', 'corner-bakery');
  const flowFile = () => path.join(work, 'flows', 'shopping.flow.yaml');

  /** Edits a file as many editors save (a new file renamed over the old one) and waits for the reload it causes. */
  async function edit(file: string, change: (text: string) => string): Promise<WatchEvent> {
    const next = new Promise<WatchEvent>((resolve) => { waiting = resolve; });
    writeFileSync(`${file}.swp`, change(readFileSync(file, 'utf8')));
    renameSync(`${file}.swp`, file);
    return next;
  }

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'vitrine-watch-'));
    cpSync(path.join(ROOT, 'bots', 'corner-bakery'), bakery(), { recursive: true });
    cpSync(path.join(ROOT, 'flows'), path.join(work, 'flows'), { recursive: true, filter: (src) => !src.includes(`${path.sep}steps`) && !src.endsWith('.ts') });
    rt = await createTestRuntime({ botsDir: path.join(work, 'bots'), flowsDir: path.join(work, 'flows') });
    watcher = new FileWatcher({
      runtime: rt, flowsDir: path.join(work, 'flows'), debounceMs: 50,
      onReload: (event) => {
        events.push(event);
        waiting?.(event);
      },
    });
    watcher.start();
  });
  afterAll(async () => {
    await watcher?.close();
    await rt?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  let chat: TestConversation;

  it('gives a customer in mid-conversation the new price and text in the next reply', async () => {
    chat = createTestConversation(rt.engine, { botId: 'corner-bakery', customerId: 'watch-ana', locale: 'en-GB' });
    await chat.say('hi');
    const breads = plain(await chat.say('1'));
    expect(breads).toContain('White sourdough');
    const event = await edit(path.join(bakery(), 'catalog.csv'), (t) => t.replace('bread,5.50,24', 'bread,6.25,24'));
    expect(event).toEqual({ kind: 'bot', id: 'corner-bakery', ok: true });
    await edit(path.join(bakery(), 'texts', 'en.yaml'), (t) => `${t}product:\n  howMany: "How many loaves? Say a number from 1 to {{max}}."\n`);
    const product = plain(await chat.say(optionNumber(breads, 'White sourdough')));
    expect(product).toContain('£6.25');
    expect(product).toContain('How many loaves? Say a number from 1 to');
  });

  it('keeps the running version when an edit is broken, and names the file and line', async () => {
    const bad = await edit(path.join(bakery(), 'catalog.csv'), (t) => t.replace('bread,6.25,24', 'bread,6.255,24'));
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => [path.basename(p.file), p.line])).toEqual([['catalog.csv', 2]]);
    expect(watcher.problems.get('bot:corner-bakery')?.[0]?.message).toContain('6.255');
    const texts = await edit(path.join(bakery(), 'texts', 'en.yaml'), (t) => t.replace('howMany: "How many loaves?', 'howMany: ["How many loaves?').replace('{{max}}."\n', '{{max}}."]\n'));
    expect(texts.ok).toBe(false);
    const product = plain(await chat.say('back'));
    expect(product).not.toContain('6.255');
    expect(plain(await chat.say(optionNumber(product, 'White sourdough')))).toMatch(/£6\.25[\s\S]*How many loaves\? Say a number/);
    // Fixed, the bot reloads and the problems are gone.
    await edit(path.join(bakery(), 'texts', 'en.yaml'), (t) => t.replace('howMany: ["How many loaves?', 'howMany: "How many loaves?').replace('{{max}}."]\n', '{{max}}."\n'));
    expect((await edit(path.join(bakery(), 'catalog.csv'), (t) => t.replace('bread,6.255,24', 'bread,6.30,24'))).ok).toBe(true);
    expect(watcher.problems.size).toBe(0);
  });

  it('reloads a changed flow after checking it, and restarts conversations of another version politely', async () => {
    const broken = await edit(flowFile(), (t) => t.replace('step: showProduct', 'step: showProdukt'));
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]?.message).toContain('unknown step "showProdukt"');
    expect(plain(await chat.say('cart'))).toContain('Your cart at Corner Bakery');
    const fixed = await edit(flowFile(), (t) => t.replace('step: showProdukt', 'step: showProduct').replace('version: 1', 'version: 2'));
    expect(fixed).toEqual({ kind: 'flow', id: 'shopping', ok: true });
    expect(plain(await chat.say('hi'))).toContain('has been updated');
  });
});
