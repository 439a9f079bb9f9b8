import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createStepRegistry, loadFlows, type AnyStep, type FlowDefinition, type StepRegistry, type TextTree } from '../engine/index.ts';
import { standardSteps } from './steps/index.ts';

export { standardSteps } from './steps/index.ts';
export * from './steps/index.ts';

/** The folder of the standard flows and their texts. */
export const FLOWS_DIR = import.meta.dirname;

/**
 * The texts of the standard steps, by locale (`flows/locales/<locale>.json`).
 *
 * @example
 * ```ts
 * const i18n = await createI18n({ defaults: standardTexts() });
 * ```
 */
export function standardTexts(dir: string = path.join(FLOWS_DIR, 'locales')): Record<string, TextTree> {
  const texts: Record<string, TextTree> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    texts[file.replace(/\.json$/, '')] = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as TextTree;
  }
  return texts;
}

/**
 * The standard steps plus your own (yours win on a name clash), and the flows
 * of a folder checked against them.
 *
 * @example
 * ```ts
 * const { steps, flows } = await loadStandardFlows({ extraSteps: [askName] });
 * ```
 */
export async function loadStandardFlows(options: { dir?: string; extraSteps?: AnyStep[] } = {}): Promise<{ steps: StepRegistry; flows: Map<string, FlowDefinition> }> {
  const steps = createStepRegistry(standardSteps, options.extraSteps ?? []);
  return { steps, flows: await loadFlows(options.dir ?? FLOWS_DIR, steps) };
}
