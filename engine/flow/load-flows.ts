import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseSource, zodProblems, type ConfigProblem, type SourceFile } from '../config/problems.ts';
import { flowSpecSchema, SPECIAL_TARGETS, type FlowDefinition } from './flow-schema.ts';
import type { AnyStep, StepRegistry } from './step.ts';

/** The outcomes a step declares for given params. */
export function stepOutcomes(step: AnyStep, params: unknown): readonly string[] {
  return typeof step.outcomes === 'function' ? step.outcomes(params) : step.outcomes;
}

/**
 * Checks a parsed flow against the step registry: known steps, valid params,
 * declared outcomes and existing targets. Returns every problem found.
 */
export function checkFlow(src: SourceFile, steps: StepRegistry): { flow?: FlowDefinition; problems: ConfigProblem[] } {
  const parsed = flowSpecSchema.safeParse(src.data, { reportInput: true });
  if (!parsed.success) return { problems: zodProblems(src, parsed.error) };
  const spec = parsed.data;
  const problems: ConfigProblem[] = [];
  const stateNames = Object.keys(spec.states);
  const known = (target: string): boolean => stateNames.includes(target) || (SPECIAL_TARGETS as readonly string[]).includes(target);
  const unknownState = (target: string): string =>
    `transition to a state that does not exist: "${target}" (states: ${stateNames.join(', ')}; or $back, $stay)`;

  if (!stateNames.includes(spec.initial)) problems.push(src.problem(['initial'], unknownState(spec.initial)));
  for (const [intent, target] of Object.entries(spec.global)) {
    if (target !== undefined && !known(target)) problems.push(src.problem(['global', intent], unknownState(target)));
  }
  for (const [stateName, state] of Object.entries(spec.states)) {
    const step = steps.get(state.step);
    if (!step) {
      problems.push(src.problem(['states', stateName, 'step'], `unknown step "${state.step}": expected one of ${[...steps.keys()].sort().join(', ')}`));
      continue;
    }
    const params = step.params.safeParse(state.params, { reportInput: true });
    if (!params.success) problems.push(...zodProblems(src, params.error, ['states', stateName, 'params']));
    else state.params = params.data as Record<string, unknown>;
    const on = { ...state.on, ...(state.next ? { done: state.next } : {}) };
    for (const [outcome, target] of Object.entries(on)) {
      const where = outcome === 'done' && state.next ? ['states', stateName, 'next'] : ['states', stateName, 'on', outcome];
      const outcomes = stepOutcomes(step, state.params);
      if (!outcomes.includes(outcome)) {
        problems.push(src.problem(where, `step "${step.name}" has no outcome "${outcome}": expected one of ${outcomes.join(', ') || '(none)'}`));
      }
      if (!known(target)) problems.push(src.problem(where, unknownState(target)));
    }
    state.on = on;
  }
  return problems.length > 0 ? { problems } : { flow: { ...spec, file: src.file }, problems };
}

/**
 * Loads every `*.flow.yaml` in a folder. Throws a {@link ConfigError} listing
 * all problems of all files.
 *
 * @example
 * ```ts
 * const flows = await loadFlows('flows', createStepRegistry(standardSteps));
 * flows.get('shopping')?.initial; // 'welcome'
 * ```
 */
export async function loadFlows(dir: string, steps: StepRegistry): Promise<Map<string, FlowDefinition>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.flow.yaml') || f.endsWith('.flow.json')).sort();
  const flows = new Map<string, FlowDefinition>();
  const problems: ConfigProblem[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    const src = parseSource(file, await readFile(file, 'utf8'));
    if ('problems' in src) {
      problems.push(...src.problems);
      continue;
    }
    const checked = checkFlow(src, steps);
    problems.push(...checked.problems);
    if (checked.flow) {
      if (flows.has(checked.flow.id)) problems.push(src.problem(['id'], `duplicate flow id "${checked.flow.id}"`));
      flows.set(checked.flow.id, checked.flow);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return flows;
}

/** Every translation key a flow's params refer to, with where. */
export function flowTextKeys(flow: FlowDefinition, steps: StepRegistry): { key: string; state: string }[] {
  const keys: { key: string; state: string }[] = [];
  for (const [stateName, state] of Object.entries(flow.states)) {
    const step = steps.get(state.step);
    for (const key of step?.textKeys?.(state.params) ?? []) keys.push({ key, state: stateName });
  }
  return keys;
}
