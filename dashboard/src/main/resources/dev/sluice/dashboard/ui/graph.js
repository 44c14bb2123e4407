// Draws a job's dependency graph: jobs in columns by depth (parents left of children), edges as curves.
import { el, svg, safeClass } from './dom.js';

const NODE_WIDTH = 150;
const NODE_HEIGHT = 36;
const COLUMN_GAP = 60;
const ROW_GAP = 14;

export function drawGraph(graph, onOpen) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const parents = new Map(graph.nodes.map((n) => [n.id, []]));
  for (const edge of graph.edges) {
    if (byId.has(edge.parent) && byId.has(edge.child)) {
      parents.get(edge.child).push(edge.parent);
    }
  }
  // Depth = longest chain of parents within the drawn part (the store rejects cycles; guard anyway).
  const depth = new Map();
  const depthOf = (id, visiting) => {
    if (depth.has(id)) {
      return depth.get(id);
    }
    if (visiting.has(id)) {
      return 0;
    }
    visiting.add(id);
    const d = parents.get(id).reduce((m, p) => Math.max(m, depthOf(p, visiting) + 1), 0);
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const columns = [];
  for (const node of graph.nodes) {
    const d = depthOf(node.id, new Set());
    (columns[d] = columns[d] || []).push(node);
  }
  const position = new Map();
  let rows = 0;
  columns.forEach((column, c) => {
    (column || []).forEach((node, r) => {
      position.set(node.id, { x: 10 + c * (NODE_WIDTH + COLUMN_GAP), y: 10 + r * (NODE_HEIGHT + ROW_GAP) });
      rows = Math.max(rows, r + 1);
    });
  });
  const width = 20 + columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP;
  const height = 20 + rows * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  const drawing = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': 'dependency graph' });
  for (const edge of graph.edges) {
    const from = position.get(edge.parent);
    const to = position.get(edge.child);
    if (!from || !to) {
      continue;
    }
    const x1 = from.x + NODE_WIDTH;
    const y1 = from.y + NODE_HEIGHT / 2;
    const x2 = to.x;
    const y2 = to.y + NODE_HEIGHT / 2;
    const mid = (x1 + x2) / 2;
    drawing.appendChild(svg('path', { class: 'graph-edge', d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}` },
      svg('title', {}, edge.onFailure ? 'on failure: ' + edge.onFailure : 'dependency')));
  }
  for (const node of graph.nodes) {
    const p = position.get(node.id);
    const group = svg('g', { class: 'graph-node state-' + safeClass(node.state) + (node.focus ? ' focus' : ''),
      transform: `translate(${p.x},${p.y})`, 'data-job': node.id, tabindex: 0 },
      svg('title', {}, node.id),
      svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 5 }),
      svg('text', { x: 8, y: 15 }, clip(node.type, 22)),
      svg('text', { x: 8, y: 29 }, node.state + ' · ' + node.id.substring(0, 8)));
    group.addEventListener('click', () => onOpen(node.id));
    group.addEventListener('keydown', (e) => { if (e.key === 'Enter') onOpen(node.id); });
    drawing.appendChild(group);
  }
  return el('div', { class: 'graph' }, drawing);
}

function clip(text, max) {
  const s = String(text);
  return s.length > max ? s.substring(0, max - 1) + '…' : s;
}
