import type { AnyStateMachine } from 'xstate';

/** Where a transition of a flow leads that is not a flow state. */
export const PREVIOUS_STATE = '$back';
/** A transition that shows the current state again. */
export const SAME_STATE = '$stay';

/** One flow state: its name and the step it runs. */
export interface FlowGraphState {
  id: string;
  step: string;
}

/** A transition: from a state (or from every state, for a global one), on an outcome, to a state, {@link PREVIOUS_STATE} or {@link SAME_STATE}. */
export interface FlowGraphEdge {
  from: string;
  outcome: string;
  to: string;
}

/** A flow as a graph, read from its compiled machine. */
export interface FlowGraph {
  initial: string;
  states: FlowGraphState[];
  /** Transitions of one state: its step's outcomes, and global routes that lead elsewhere from it than from the others. */
  edges: FlowGraphEdge[];
  /** Transitions every state has, by outcome (`global:cart`, `back` …), each drawn once; `from` is `*`. */
  globals: FlowGraphEdge[];
}

interface MachineNode {
  id: string;
  key: string;
  meta?: { step?: unknown };
  states: Record<string, MachineNode>;
  transitions: Map<string, { guard?: { type?: unknown; params?: unknown }; target?: readonly { id: string }[] }[]>;
  initial?: { target?: readonly { id: string }[] };
}

const ROOT = 'flow';
const BACK_NODE = '__back';

/** A machine node id (`flow.browse`) as a flow target: the state, or {@link PREVIOUS_STATE}. */
function targetName(id: string): string | undefined {
  const name = id.startsWith(`${ROOT}.`) ? id.slice(ROOT.length + 1) : id;
  if (name === BACK_NODE) return PREVIOUS_STATE;
  return name.includes('.') ? undefined : name; // inside the state (waiting again): no transition of the flow
}

/** The outcome → target routes of one flow state, from its `handle` node's transitions. */
function routesOf(state: MachineNode): FlowGraphEdge[] {
  const handle = state.states['handle'];
  if (!handle) return [];
  const edges: FlowGraphEdge[] = [];
  for (const transitions of handle.transitions.values()) {
    for (const t of transitions) {
      const params = t.guard?.params as { outcome?: unknown } | undefined;
      const to = t.target?.[0] ? targetName(t.target[0].id) : undefined;
      if (typeof params?.outcome === 'string' && to !== undefined) edges.push({ from: state.key, outcome: params.outcome, to });
    }
  }
  return edges;
}

/** Where an edge leads, with a state's way back to itself as {@link SAME_STATE}. */
const seen = (e: FlowGraphEdge) => (e.to === e.from ? SAME_STATE : e.to);

/** Whether a state's edge goes where the global edge does. */
const follows = (e: FlowGraphEdge, global: FlowGraphEdge) => e.to === global.to || seen(e) === global.to;

/**
 * The graph of a flow compiled by `compileFlow`: every state with its step,
 * and every transition an outcome takes. A global route (an intent, or
 * `back`) that most states take to the same place is a global edge, drawn
 * once; a state that routes it elsewhere keeps its own edge. Read from the
 * machine, not the YAML, so a picture of it shows what runs.
 *
 * @example
 * ```ts
 * const graph = flowGraph(compileFlow(flow));
 * graph.edges.find((e) => e.from === 'browse' && e.outcome === 'product')?.to; // 'product'
 * ```
 */
export function flowGraph(machine: AnyStateMachine): FlowGraph {
  const root = machine.root as unknown as MachineNode;
  const stateNodes = Object.values(root.states).filter((node) => node.key !== BACK_NODE);
  const states = stateNodes.map((node) => ({ id: node.key, step: typeof node.meta?.step === 'string' ? node.meta.step : '' }));
  const routes = stateNodes.flatMap(routesOf);
  const globals: FlowGraphEdge[] = [];
  for (const outcome of new Set(routes.map((e) => e.outcome))) {
    if (!outcome.startsWith('global:') && outcome !== 'back') continue;
    const counts = new Map<string, number>();
    for (const e of routes) if (e.outcome === outcome) counts.set(seen(e), (counts.get(seen(e)) ?? 0) + 1);
    const [to, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
    if (count > stateNodes.length / 2) globals.push({ from: '*', outcome, to });
  }
  const edges = routes.filter((e) => {
    const global = globals.find((g) => g.outcome === e.outcome);
    return !global || !follows(e, global);
  });
  const initial = root.initial?.target?.[0] ? targetName(root.initial.target[0].id) ?? '' : '';
  return { initial, states, edges, globals };
}
