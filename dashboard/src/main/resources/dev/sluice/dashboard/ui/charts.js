// Line charts over the last hour, drawn as SVG from the dashboard's samples.
import { el, svg } from './dom.js';

const WIDTH = 600;
const HEIGHT = 170;
const LEFT = 44;
const BOTTOM = 18;
const TOP = 8;
const HOUR_MS = 3600 * 1000;

// samples: [{at, ...}], value: sample -> number; now: epoch ms of the right edge.
export function lineChart(title, samples, value, series, format, now) {
  const plotWidth = WIDTH - LEFT - 4;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const start = now - HOUR_MS;
  const points = samples.filter((s) => s.at >= start).map((s) => [s.at, Math.max(0, value(s))]);
  const max = niceMax(points.reduce((m, p) => Math.max(m, p[1]), 0));
  const x = (t) => LEFT + ((t - start) / HOUR_MS) * plotWidth;
  const y = (v) => TOP + plotHeight - (v / max) * plotHeight;

  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': title,
    preserveAspectRatio: 'none' });
  for (const fraction of [0, 0.5, 1]) {
    const v = max * fraction;
    chart.appendChild(svg('line', { class: 'axis', x1: LEFT, x2: WIDTH - 4, y1: y(v), y2: y(v) }));
    chart.appendChild(svg('text', { class: 'axis-label', x: LEFT - 4, y: y(v) + 3, 'text-anchor': 'end' },
      format(v)));
  }
  for (const minutesAgo of [60, 45, 30, 15, 0]) {
    chart.appendChild(svg('text', { class: 'axis-label', x: x(now - minutesAgo * 60000), y: HEIGHT - 4,
      'text-anchor': minutesAgo === 60 ? 'start' : minutesAgo === 0 ? 'end' : 'middle' },
      minutesAgo === 0 ? 'now' : `-${minutesAgo} min`));
  }
  if (points.length > 0) {
    const line = points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
    const area = `${x(points[0][0]).toFixed(1)},${y(0)} ${line} ${x(points[points.length - 1][0]).toFixed(1)},${y(0)}`;
    chart.appendChild(svg('polygon', { class: 'chart-area ' + series, points: area }));
    chart.appendChild(svg('polyline', { class: 'chart-line ' + series, points: line }));
  }
  const latest = points.length ? format(points[points.length - 1][1]) : 'no samples yet';
  return el('div', { class: 'chart', 'data-chart': title },
    el('div', { class: 'title' }, title, ' ', el('span', { class: 'muted small' }, latest)),
    chart);
}

function niceMax(max) {
  if (max <= 0) {
    return 1;
  }
  const magnitude = Math.pow(10, Math.floor(Math.log10(max)));
  for (const step of [1, 2, 5, 10]) {
    if (max <= step * magnitude) {
      return step * magnitude;
    }
  }
  return 10 * magnitude;
}

export function rate(v) {
  return v >= 100 ? Math.round(v).toLocaleString() + '/s' : (Math.round(v * 10) / 10) + '/s';
}

export function count(v) {
  return v >= 10 || Number.isInteger(v) ? Math.round(v).toLocaleString() : (Math.round(v * 10) / 10).toString();
}
