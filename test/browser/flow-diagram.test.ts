import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '../../engine/index.ts';
import { compileFlow } from '../../engine/flow/compile-flow.ts';
import { flowDiagram, toMermaid, type FlowDiagram } from '../../engine/flow/flow-diagram.ts';
import { flowGraph } from '../../engine/flow/flow-graph.ts';
import { toSvg } from '../../engine/flow/flow-svg.ts';
import { loadStandardFlows, standardTexts } from '../../flows/index.ts';
import { ARTIFACTS, chromiumFor, launchChromium } from '../support/browser.ts';

const hasChromium = chromiumFor('the flow diagram browser test');
const MERMAID = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');

describe('the flow diagram as a browser draws it', () => {
  let browser: Browser;
  let diagram: FlowDiagram;

  beforeAll(async () => {
    const { flows } = await loadStandardFlows();
    const flow = flows.get('shopping');
    if (!flow) throw new Error('no shopping flow');
    const i18n = await createI18n({ defaults: standardTexts() });
    diagram = flowDiagram(flowGraph(compileFlow(flow)), i18n.t('directory', 'pt-BR'));
    if (!hasChromium) return;
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!hasChromium)('renders the Mermaid text with Mermaid itself, every state and label in it', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID });
    const svg = await page.evaluate(async (text) => {
      const mermaid = (globalThis as unknown as { mermaid: { initialize(o: object): void; render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
      const { svg } = await mermaid.render('flow', text);
      const out = document.getElementById('out');
      if (out) out.innerHTML = svg;
      return svg;
    }, toMermaid(diagram));
    for (const node of diagram.nodes) expect(svg, node.id).toContain(node.title);
    expect(svg).toContain('cart “carrinho”, “meu carrinho”, “ver carrinho”');
    expect(svg).toContain('qualquer estado');
    await page.locator('#out svg').screenshot({ path: path.join(ARTIFACTS, 'flow-mermaid.png') });
    await page.close();
  });

  it.skipIf(!hasChromium)('shows the SVG with every state inside the picture', async () => {
    const page = await browser.newPage({ viewport: { width: 2000, height: 1000 } });
    await page.setContent(`<!doctype html><html><body style="margin:0">${toSvg(diagram, 'shopping')}</body></html>`);
    const picture = await page.locator('svg').first().boundingBox();
    for (const node of diagram.nodes) {
      const box = await page.locator(`g[data-state="${node.id}"]`).boundingBox();
      expect(box, node.id).not.toBeNull();
      if (!box || !picture) continue;
      expect(box.x).toBeGreaterThanOrEqual(picture.x);
      expect(box.x + box.width).toBeLessThanOrEqual(picture.x + picture.width);
      expect(box.y + box.height).toBeLessThanOrEqual(picture.y + picture.height);
    }
    await page.locator('svg').first().screenshot({ path: path.join(ARTIFACTS, 'flow-svg.png') });
    await page.close();
  });
});
