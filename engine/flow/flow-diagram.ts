import type { TFunction } from 'i18next';
import { PREVIOUS_STATE, SAME_STATE, type FlowGraph, type FlowGraphEdge } from './flow-graph.ts';

/** Node ids of the diagram's pseudo-states: every state (global routes) and the previous state (`$back`). */
export const ANY_STATE_NODE = '_anyState';
export const PREVIOUS_STATE_NODE = '_previousState';

/** A flow graph with its labels in one language, ready to draw as Mermaid or SVG. */
export interface FlowDiagram {
  /** The flow's states and pseudo-states, each with its title and its second line (the step it runs). */
  nodes: { id: string; title: string; detail: string; kind: 'state' | 'any' | 'previous' }[];
  /** Transitions; `from: '[*]'` is the start. Each label names the outcome and, for a global route, the words that take it. */
  edges: { from: string; to: string; label: string }[];
}

const MAX_WORDS = 3;

/** The outcome of an edge for people: a step outcome as is, a global route with its words in the locale (`cart “cart”, “basket”`). */
function outcomeLabel(outcome: string, t: TFunction): string {
  if (!outcome.startsWith('global:') && outcome !== 'back') return outcome;
  const intent = outcome.startsWith('global:') ? outcome.slice('global:'.length) : 'back';
  if (intent === 'openBusiness') return `${intent} (${t('diagram.businessLink')})`;
  if (intent === 'language') return `${intent} (${t('diagram.languageName')})`;
  const words = t(`intents.${intent}`, { defaultValue: '' }).split('|').map((w) => w.trim()).filter((w) => w && !w.startsWith('/') && w !== '?');
  return words.length === 0 ? intent : `${intent} ${words.slice(0, MAX_WORDS).map((w) => `“${w}”`).join(', ')}`;
}

/** Edges with the same ends become one, their different labels joined. */
function merge(edges: { from: string; to: string; label: string }[]): FlowDiagram['edges'] {
  const byEnds = new Map<string, { from: string; to: string; labels: string[] }>();
  for (const e of edges) {
    const key = `${e.from}→${e.to}`;
    const found = byEnds.get(key);
    if (found) {
      if (!found.labels.includes(e.label)) found.labels.push(e.label);
    }
    else byEnds.set(key, { from: e.from, to: e.to, labels: [e.label] });
  }
  return [...byEnds.values()].map((e) => ({ from: e.from, to: e.to, label: e.labels.join(' · ') }));
}

/**
 * A flow graph labelled in one language (`t` of the bot and locale): each
 * state titled with its name and the step it runs; global routes drawn from
 * one "any state" node, labelled with the words that take them; `$back` to a
 * "previous state" node; `$stay` as a loop.
 *
 * @example
 * ```ts
 * const diagram = flowDiagram(flowGraph(compileFlow(flow)), i18n.t('directory', 'pt-BR'));
 * toMermaid(diagram); // 'stateDiagram-v2\n  direction TB\n  …'
 * ```
 */
export function flowDiagram(graph: FlowGraph, t: TFunction): FlowDiagram {
  const target = (e: FlowGraphEdge) => {
    if (e.to === PREVIOUS_STATE) return PREVIOUS_STATE_NODE;
    if (e.to === SAME_STATE) return e.from === '*' ? ANY_STATE_NODE : e.from;
    return e.to;
  };
  const node = (e: FlowGraphEdge) => (e.from === '*' ? ANY_STATE_NODE : e.from);
  const edges = merge([
    ...(graph.initial ? [{ from: '[*]', to: graph.initial, label: '' }] : []),
    ...[...graph.edges, ...graph.globals].map((e) => ({ from: node(e), to: target(e), label: outcomeLabel(e.outcome, t) })),
  ]).map((e) => (e.from === ANY_STATE_NODE && e.to === ANY_STATE_NODE ? { ...e, label: `${e.label} (${t('diagram.sameState')})` } : e));
  const used = new Set(edges.flatMap((e) => [e.from, e.to]));
  return {
    nodes: [
      ...graph.states.map((s) => ({ id: s.id, title: s.id, detail: s.step, kind: 'state' as const })),
      ...(used.has(ANY_STATE_NODE) ? [{ id: ANY_STATE_NODE, title: t('diagram.anyState'), detail: '', kind: 'any' as const }] : []),
      ...(used.has(PREVIOUS_STATE_NODE) ? [{ id: PREVIOUS_STATE_NODE, title: t('diagram.previousState'), detail: '$back', kind: 'previous' as const }] : []),
    ],
    edges,
  };
}

/** Text Mermaid shows as is: no characters its state diagram syntax reads (`:`, `;`, `#`, quotes, brackets). */
const mermaidText = (text: string) => text.replace(/[:;#"{}[\]<>]/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The diagram as Mermaid `stateDiagram-v2` text (GitHub and most editors
 * render it): a state per flow state named "<state> · <step>", the
 * pseudo-states named in the diagram's language, and every transition with
 * its label.
 *
 * @example
 * ```ts
 * writeFileSync('shopping.mmd', toMermaid(diagram));
 * ```
 */
export function toMermaid(diagram: FlowDiagram): string {
  const lines = ['stateDiagram-v2', '  direction TB'];
  for (const n of diagram.nodes) {
    lines.push(`  state "${mermaidText(n.kind === 'state' ? `${n.title} · ${n.detail}` : n.title)}" as ${n.id}`);
  }
  for (const e of diagram.edges) lines.push(`  ${e.from} --> ${e.to}${e.label ? ` : ${mermaidText(e.label)}` : ''}`);
  return `${lines.join('\n')}\n`;
}
