import { el, number } from './dom.js';
import { get } from './api.js';
import { lineChart, rate, count } from './charts.js';
import { queueActions } from './actions.js';

const STATES = ['READY', 'RUNNING', 'SCHEDULED', 'WAITING', 'SUCCEEDED', 'DEAD', 'CANCELLED'];

export async function overviewPage() {
  const { overview, series } = await get('api/overview');
  const now = Date.now();
  const cards = el('div', { class: 'cards' },
    card('Health', overview.health.status + ' · ' + overview.health.score, '#/'),
    STATES.map((s) => card(s.toLowerCase(), number(overview.totals[s]), '#/jobs/' + s)),
    card('in flight here', number(overview.jobsInFlight), '#/nodes'),
    card('active alerts', number(overview.activeAlerts), '#/alerts'));
  const charts = el('div', { class: 'charts' },
    lineChart('Throughput (succeeded)', series.samples, (s) => s.succeededPerSecond, 'series-ok', rate, now),
    lineChart('Failures (failed and dead)', series.samples, (s) => s.failedPerSecond, 'series-bad', rate, now),
    lineChart('Ready jobs (queue depth)', series.samples, (s) => s.ready, 'series-info', count, now));
  const failed = overview.health.checks.filter((c) => !c.healthy);
  return [
    el('h1', {}, 'Overview'),
    cards,
    el('h2', {}, 'Last hour'),
    charts,
    el('p', { class: 'muted small' }, 'Rates from ' + series.source + ', sampled every '
      + Math.round(series.intervalMillis / 1000) + ' s by this dashboard since it started.'),
    el('h2', {}, 'Queues'),
    queueTable(overview.queues),
    failed.length ? [el('h2', {}, 'Failed health checks'),
      el('ul', {}, failed.map((c) => el('li', {}, el('strong', {}, c.name), ': ', c.detail)))] : null,
    overview.scaling ? [el('h2', {}, 'Scaling advice'),
      el('p', {}, overview.scaling.direction + ' to ' + overview.scaling.desiredWorkers + ' workers (now '
        + overview.scaling.currentWorkers + '): ' + overview.scaling.reason)] : null,
  ];
}

function card(label, value, href) {
  return el('a', { class: 'card', href, 'data-card': label },
    el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
}

function queueTable(queues) {
  if (!queues.length) {
    return el('p', { class: 'muted' }, 'No queues hold jobs yet.');
  }
  return el('table', { id: 'queues' },
    el('thead', {}, el('tr', {}, el('th', {}, 'queue'),
      STATES.map((s) => el('th', { class: 'num' }, s.toLowerCase())),
      el('th', { class: 'num' }, 'oldest ready'), el('th', {}, ''))),
    el('tbody', {}, queues.map((q) => el('tr', { 'data-queue': q.name },
      el('td', {}, el('a', { href: '#/jobs/READY?queue=' + encodeURIComponent(q.name) }, q.name),
        q.paused ? el('span', { class: 'badge sev-MODERATE' }, 'paused') : null),
      STATES.map((s) => el('td', { class: 'num' }, number(q.counts[s]))),
      el('td', { class: 'num' }, q.oldestReadyAgeSeconds === null ? '' : q.oldestReadyAgeSeconds + ' s'),
      el('td', {}, queueActions(q))))));
}
