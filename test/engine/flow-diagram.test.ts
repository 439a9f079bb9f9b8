import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createI18n, type FlowDefinition, type I18n } from '../../engine/index.ts';
import { compileFlow } from '../../engine/flow/compile-flow.ts';
import { ANY_STATE_NODE, flowDiagram, PREVIOUS_STATE_NODE, toMermaid } from '../../engine/flow/flow-diagram.ts';
import { flowGraph } from '../../engine/flow/flow-graph.ts';
import { toSvg } from '../../engine/flow/flow-svg.ts';
import { loadStandardFlows, standardTexts } from '../../flows/index.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');

let shopping: FlowDefinition;
let i18n: I18n;
beforeAll(async () => {
  const { flows } = await loadStandardFlows();
  const flow = flows.get('shopping');
  if (!flow) throw new Error('no shopping flow');
  shopping = flow;
  i18n = await createI18n({ defaults: standardTexts() });
});

/** The Mermaid node a flow target is drawn as. */
const node = (target: string, from: string) => (target === '$back' ? PREVIOUS_STATE_NODE : target === '$stay' ? from : target);

/** The transition lines of a Mermaid text: from, to and label. */
function arrows(mermaid: string): { from: string; to: string; label: string }[] {
  return [...mermaid.matchAll(/^ {2}(\S+) --> (\S+)(?: : (.*))?$/gm)].map((m) => ({ from: m[1] ?? '', to: m[2] ?? '', label: m[3] ?? '' }));
}

describe('the flow as a diagram', () => {
  it('draws every state with its step and every transition of the shopping flow, from its compiled machine', () => {
    const diagram = flowDiagram(flowGraph(compileFlow(shopping)), i18n.t('', 'en'));
    const mermaid = toMermaid(diagram);
    const svg = toSvg(diagram, 'shopping');
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(arrows(mermaid)).toContainEqual({ from: '[*]', to: shopping.initial, label: '' });
    for (const [id, state] of Object.entries(shopping.states)) {
      expect(mermaid).toContain(`\n  state "${id} · ${state.step}" as ${id}\n`);
      expect(svg).toContain(`<g data-state="${id}">`);
      for (const [outcome, target] of Object.entries(state.on)) {
        const line = arrows(mermaid).find((a) => a.from === id && a.to === node(target, id) && a.label.split(' · ').some((l) => l.split(' ')[0] === outcome));
        expect(line, `${id} --${outcome}--> ${target}`).toBeDefined();
        expect(svg).toContain(`data-from="${id}" data-to="${node(target, id)}"`);
      }
    }
    // Global routes once, from "any state", with the words that take them.
    for (const [intent, target] of Object.entries(shopping.global)) {
      const line = arrows(mermaid).find((a) => a.from === ANY_STATE_NODE && a.to === node(target, ANY_STATE_NODE) && a.label.includes(intent));
      expect(line, `global ${intent} → ${target}`).toBeDefined();
    }
    expect(mermaid).toContain(`${ANY_STATE_NODE} --> cart : cart “cart”, “basket”, “my cart”`);
    expect(mermaid).toContain(`state "any state" as ${ANY_STATE_NODE}`);
    expect(mermaid).toContain(`${ANY_STATE_NODE} --> browse : openBusiness (a shop's link or QR code)`);
    // A state whose own "back" goes elsewhere than the previous state keeps its own arrow.
    expect(mermaid).toContain('browse --> findBusiness : back “back”, “go back”, “previous”');
  });

  it('labels the global words and pseudo-states in the bot\'s language', () => {
    const mermaid = toMermaid(flowDiagram(flowGraph(compileFlow(shopping)), i18n.t('directory', 'pt-BR')));
    expect(mermaid).toContain(`${ANY_STATE_NODE} --> cart : cart “carrinho”, “meu carrinho”, “ver carrinho”`);
    expect(mermaid).toContain(`state "estado anterior" as ${PREVIOUS_STATE_NODE}`);
    const id = toMermaid(flowDiagram(flowGraph(compileFlow(shopping)), i18n.t('directory', 'id')));
    expect(id).toContain(`state "status mana pun" as ${ANY_STATE_NODE}`);
  });

  it('keeps the README\'s picture of the standard flow up to date', () => {
    const diagram = flowDiagram(flowGraph(compileFlow(shopping)), i18n.t('', 'en'));
    const mermaid = toMermaid(diagram);
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`mermaid\n${mermaid}\`\`\``);
    expect(readFileSync(path.join(ROOT, 'docs', 'diagrams', 'shopping.mmd'), 'utf8')).toBe(mermaid);
    expect(readFileSync(path.join(ROOT, 'docs', 'diagrams', 'shopping.svg'), 'utf8')).toBe(toSvg(diagram, `shopping v${shopping.version}: ${shopping.description}`));
  });
});

describe('npm run diagram', () => {
  it('draws the flow a bot runs, in the bot\'s language, as Mermaid text and SVG', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'vitrine-diagram-'));
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/diagram.ts', 'bots/directory', '--locale', 'es-MX', '--out', out, '--json'], { cwd: ROOT });
      expect(stdout).toContain('stateDiagram-v2');
      expect(stdout).toContain('cart “carrito”');
      expect(readFileSync(path.join(out, 'shopping.mmd'), 'utf8')).toContain('checkout --> payment : created');
      expect(readFileSync(path.join(out, 'shopping.svg'), 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      const machine = JSON.parse(readFileSync(path.join(out, 'shopping.machine.json'), 'utf8')) as { id: string; states: Record<string, { meta?: { step?: string } }> };
      expect(machine.id).toBe('flow');
      expect(machine.states['browse']?.meta?.step).toBe('browseCatalog');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('draws a flow file of its own, and names the line of a broken one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-diagram-'));
    try {
      const file = path.join(dir, 'greeter.flow.yaml');
      writeFileSync(file, ['id: greeter', 'version: 1', 'initial: hello', 'states:', '  hello: { step: say, params: { text: shopping.welcome }, next: ask }',
        '  ask: { step: ask, params: { text: shopping.welcome, var: name }, next: hello }', ''].join('\n'));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/diagram.ts', file, '--out', dir], { cwd: ROOT });
      expect(arrows(stdout)).toEqual(expect.arrayContaining([{ from: 'hello', to: 'ask', label: 'done' }, { from: 'ask', to: 'hello', label: 'done' }]));
      writeFileSync(file, readFileSync(file, 'utf8').replace('step: ask,', 'step: askk,'));
      const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/diagram.ts', file, '--out', dir], { cwd: ROOT }).then(() => undefined, (err: { code: number; stderr: string }) => err);
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/greeter\.flow\.yaml:6:\d+ states\.ask\.step: unknown step "askk": expected one of/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
