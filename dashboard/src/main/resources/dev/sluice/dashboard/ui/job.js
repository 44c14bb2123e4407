import { el, stateBadge, time, number } from './dom.js';
import { get } from './api.js';
import { jobActions } from './actions.js';
import { drawGraph } from './graph.js';

export async function jobPage(id) {
  let detail;
  try {
    detail = await get('api/jobs/' + encodeURIComponent(id));
  } catch (e) {
    return [el('h1', {}, 'Job ' + id), el('p', { class: 'muted' }, e.message)];
  }
  const job = detail.job;
  return [
    el('h1', {}, 'Job ', el('span', { id: 'job-id' }, job.id), ' ', el('span', { id: 'job-state' }, stateBadge(job.state))),
    el('div', { class: 'actions', id: 'job-actions' }, jobActions(job)),
    el('h2', {}, 'Fields'),
    fields([
      ['type', job.type], ['queue', job.queue], ['priority', job.priority], ['state', job.state],
      ['attempts', job.attempts + ' of ' + job.maxAttempts], ['progress', Math.round(job.progress * 100) + '%'],
      ['created', time(job.createdAt)], ['run at', time(job.runAt)], ['started', time(job.startedAt)],
      ['finished', time(job.finishedAt)], ['tenant', job.tenant], ['unique key', detail.uniqueKey],
      ['timeout', detail.timeoutMillis ? detail.timeoutMillis + ' ms' : 'none'],
      ['lease owner', detail.leaseOwner], ['lease expires', time(detail.leaseExpiresAt)],
      ['fencing token', detail.fencingToken ? String(detail.fencingToken) : null],
      ['cancel requested', detail.cancelRequested ? 'yes' : null],
    ]),
    job.lastError ? [el('h2', {}, 'Last error'), el('pre', { class: 'error', id: 'job-error' }, job.lastError)] : null,
    el('div', { class: 'two' },
      el('div', {}, el('h2', {}, 'Payload'), preview(detail.payload, 'job-payload')),
      el('div', {}, el('h2', {}, 'Result'), preview(detail.result, 'job-result'))),
    el('h2', {}, 'History (audit trail)'),
    history(detail),
    el('h2', {}, 'Dependencies'),
    graph(detail.graph),
  ];
}

function fields(pairs) {
  return el('dl', { class: 'fields' }, pairs.filter((p) => p[1] !== null && p[1] !== undefined && p[1] !== '')
    .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function preview(p, id) {
  if (!p) {
    return el('p', { class: 'muted', id }, 'none');
  }
  const note = number(p.bytes) + ' bytes, ' + (p.encoding === 'hex' ? 'binary (hex)' : 'UTF-8 text')
    + (p.truncated ? ', preview cut' : '');
  return [el('pre', { id }, p.text), el('p', { class: 'muted small' }, note)];
}

function history(detail) {
  if (!detail.history.length) {
    return el('p', { class: 'muted', id: 'no-history' }, detail.historyNote || 'No history.');
  }
  return el('table', { id: 'history' },
    el('thead', {}, el('tr', {}, ['when', 'from', 'to', 'attempt', 'node', 'error / reason'].map((h) => el('th', {}, h)))),
    el('tbody', {}, detail.history.map((h) => el('tr', { 'data-to': h.to },
      el('td', {}, time(h.at)), el('td', {}, h.from || '(new)'), el('td', {}, stateBadge(h.to)),
      el('td', { class: 'num' }, h.attempt), el('td', {}, h.node || ''), el('td', { class: 'error' }, h.error || '')))));
}

function graph(g) {
  if (!g || !g.nodes.length) {
    return el('p', { class: 'muted' }, (g && g.note) || 'No dependencies.');
  }
  return [drawGraph(g, (id) => { location.hash = '#/job/' + id; }),
    g.note ? el('p', { class: 'muted small' }, g.note) : null];
}
