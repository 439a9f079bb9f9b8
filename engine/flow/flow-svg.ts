import dagre from '@dagrejs/dagre';
import type { FlowDiagram } from './flow-diagram.ts';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const TITLE_SIZE = 14;
const DETAIL_SIZE = 12;
const LABEL_SIZE = 11;
const START = '[*]';

/** About how wide a text is in a sans-serif font (no browser to measure it): wide enough for most. */
const textWidth = (text: string, size: number) => Math.ceil([...text].length * size * 0.6);

const xml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (n: number) => String(Math.round(n * 10) / 10);

type Node = FlowDiagram['nodes'][number];
type Placed = { x: number; y: number; width: number; height: number };

function drawNode(node: Node, at: Placed): string {
  const left = at.x - at.width / 2;
  const top = at.y - at.height / 2;
  const style = node.kind === 'state' ? 'class="state"' : 'class="pseudo"';
  const lines = [`<rect ${style} x="${num(left)}" y="${num(top)}" width="${num(at.width)}" height="${num(at.height)}" rx="10"/>`];
  if (node.detail) {
    lines.push(`<text class="title" x="${num(at.x)}" y="${num(at.y - 4)}">${xml(node.title)}</text>`);
    lines.push(`<text class="detail" x="${num(at.x)}" y="${num(at.y + 13)}">${xml(node.detail)}</text>`);
  } else {
    lines.push(`<text class="title" x="${num(at.x)}" y="${num(at.y + 5)}">${xml(node.title)}</text>`);
  }
  return `<g data-state="${xml(node.id)}">${lines.join('')}</g>`;
}

const LABEL_LINE = 14;
const LABEL_CHARS = 34;

/** A label in lines of about {@link LABEL_CHARS} characters, broken between its parts, then between words. */
function labelLines(label: string): string[] {
  const lines: string[] = [];
  for (const part of label.split(' · ')) {
    let line = '';
    for (const word of part.split(' ')) {
      if (line && [...`${line} ${word}`].length > LABEL_CHARS) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) lines.push(line);
  }
  return lines;
}

const labelSize = (lines: readonly string[]) => ({
  width: Math.max(0, ...lines.map((l) => textWidth(l, LABEL_SIZE))) + 6,
  height: lines.length * LABEL_LINE + 2,
});

function drawEdge(from: string, to: string, label: string, points: readonly { x: number; y: number }[], at?: { x: number; y: number }): string {
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(p.x)} ${num(p.y)}`).join(' ');
  let text = '';
  if (label && at) {
    const lines = labelLines(label);
    const { width, height } = labelSize(lines);
    const top = at.y - height / 2;
    const spans = lines.map((l, i) => `<tspan x="${num(at.x)}" y="${num(top + 12 + i * LABEL_LINE)}">${xml(l)}</tspan>`).join('');
    text = `<rect class="label-bg" x="${num(at.x - width / 2)}" y="${num(top)}" width="${num(width)}" height="${num(height)}" rx="3"/><text class="label">${spans}</text>`;
  }
  return `<g data-from="${xml(from)}" data-to="${xml(to)}"><path class="edge" d="${path}" marker-end="url(#arrow)"/>${text}</g>`;
}

/**
 * The diagram as a standalone SVG image, laid out by dagre (no browser
 * needed): rounded boxes for states (name, and the step in smaller type),
 * dashed boxes for the "any state" and "previous state" nodes, a dot for the
 * start, and labelled arrows. Each state's group carries `data-state`, each
 * arrow `data-from` and `data-to`.
 *
 * @example
 * ```ts
 * writeFileSync('shopping.svg', toSvg(flowDiagram(flowGraph(machine), t), 'shopping'));
 * ```
 */
export function toSvg(diagram: FlowDiagram, title: string): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 36, ranksep: 56, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  g.setNode(START, { width: 14, height: 14 });
  for (const n of diagram.nodes) {
    const width = Math.max(textWidth(n.title, TITLE_SIZE), textWidth(n.detail, DETAIL_SIZE)) + 28;
    g.setNode(n.id, { width, height: n.detail ? 46 : 32 });
  }
  diagram.edges.forEach((e, i) => {
    const size = e.label ? labelSize(labelLines(e.label)) : { width: 0, height: 0 };
    g.setEdge(e.from, e.to, { ...size, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const size = g.graph();
  const width = Math.ceil(size.width ?? 0);
  const height = Math.ceil(size.height ?? 0);
  const start = g.node(START);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xml(title)}">`,
    `<title>${xml(title)}</title>`,
    `<style>text{font-family:${FONT};text-anchor:middle;fill:#1f2937}.title{font-size:${TITLE_SIZE}px;font-weight:600}.detail{font-size:${DETAIL_SIZE}px;fill:#115e59}.label{font-size:${LABEL_SIZE}px;fill:#374151}.state{fill:#ecfdf5;stroke:#0f766e;stroke-width:1.5}.pseudo{fill:#f9fafb;stroke:#6b7280;stroke-dasharray:5 3}.edge{fill:none;stroke:#4b5563;stroke-width:1.2}.label-bg{fill:#ffffff;opacity:.9}</style>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#4b5563"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  diagram.edges.forEach((e, i) => {
    const edge = g.edge(e.from, e.to, `e${i}`);
    const at = edge.x !== undefined && edge.y !== undefined ? { x: edge.x, y: edge.y } : undefined;
    parts.push(drawEdge(e.from, e.to, e.label, edge.points ?? [], at));
  });
  if (start) parts.push(`<circle data-state="${START}" cx="${num(start.x)}" cy="${num(start.y)}" r="7" fill="#1f2937"/>`);
  for (const n of diagram.nodes) parts.push(drawNode(n, g.node(n.id)));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
