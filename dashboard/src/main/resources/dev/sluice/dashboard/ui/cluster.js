// The cluster and its maintenance: the leader, queues with depth and rates, purge and flush.
import { el, time, number } from './dom.js';
import { get } from './api.js';
import { queueActions, confirmButton, readOnly, run } from './actions.js';
import { rate } from './charts.js';

// The last purge and flush answers, kept across redraws.
const latest = { purge: null, flush: null };

export async function clusterPage() {
  const cluster = await get('api/cluster');
  return [
    el('h1', {}, 'Cluster'),
    leader(cluster),
    el('h2', {}, 'Queues'),
    queueTable(cluster.queues),
    el('p', { class: 'muted small' }, 'Depth = waiting + scheduled + ready. Rates are cluster-wide over the last '
      + 'minute, from the engine\'s store samples; they read low while retention deletes finished jobs.'),
    el('h2', {}, 'Maintenance'),
    maintenance(),
  ];
}

function leader(cluster) {
  const l = cluster.leader;
  return el('dl', { class: 'fields', id: 'leader' },
    el('dt', {}, 'maintenance leader'), el('dd', { id: 'leader-node' }, l ? l.nodeId : 'none (no node leads now)'),
    l ? [el('dt', {}, 'fencing token'), el('dd', {}, String(l.fencingToken)),
      el('dt', {}, 'lease expires'), el('dd', {}, time(l.expiresAt))] : null,
    el('dt', {}, 'this node'), el('dd', {}, cluster.thisNode + (cluster.thisNodeLeads ? ' (leads)' : '')),
    el('dt', {}, 'as of'), el('dd', {}, time(cluster.takenAt)));
}

function queueTable(queues) {
  if (!queues.length) {
    return el('p', { class: 'muted' }, 'No queues hold jobs yet.');
  }
  return el('table', { id: 'cluster-queues' },
    el('thead', {}, el('tr', {}, ['queue', 'depth', 'waiting', 'scheduled', 'ready', 'running', 'submitted',
      'finished', 'oldest ready', ''].map((h, i) => el('th', { class: i > 0 && i < 9 ? 'num' : null }, h)))),
    el('tbody', {}, queues.map((q) => el('tr', { 'data-queue': q.name },
      el('td', {}, el('a', { href: '#/jobs/READY?queue=' + encodeURIComponent(q.name) }, q.name),
        q.paused ? el('span', { class: 'badge sev-MODERATE' }, 'paused') : null),
      el('td', { class: 'num', 'data-depth': q.name }, number(q.depth)),
      ['WAITING', 'SCHEDULED', 'READY', 'RUNNING'].map((s) => el('td', { class: 'num' }, number(q.counts[s]))),
      el('td', { class: 'num' }, rate(q.submittedPerSecond)),
      el('td', { class: 'num' }, rate(q.finishedPerSecond)),
      el('td', { class: 'num' }, q.oldestReadyAgeSeconds === null ? '' : q.oldestReadyAgeSeconds + ' s'),
      el('td', {}, queueActions(q))))));
}

function maintenance() {
  if (readOnly()) {
    return el('p', { class: 'muted' }, 'Read-only: purges and flushes are off.');
  }
  const purge = confirmButton('purge', 'Purge now',
    'Delete the finished jobs that the retention policy no longer keeps?', { action: 'purge', class: 'danger' },
    async () => {
      const answer = await run('Purge', 'api/purge', {}, (a) => 'deleted ' + a.total + ' jobs (' + a.finished
        + ' succeeded or cancelled, ' + a.dead + ' dead)');
      if (answer) latest.purge = { at: new Date().toISOString(), answer };
    });
  const flush = el('button', { type: 'button', 'data-action': 'flush', onclick: async () => {
    const answer = await run('Flush', 'api/flush', {}, (a) => (a.flushed ? 'everything pending was written'
      : 'not everything was written within ' + a.timeoutMillis + ' ms'));
    if (answer) latest.flush = { at: new Date().toISOString(), answer };
  } }, 'Flush now');
  return [
    el('div', { class: 'actions', id: 'operations' }, purge, flush),
    el('ul', { class: 'muted small', id: 'operations-log' },
      el('li', {}, 'Purge deletes SUCCEEDED and CANCELLED jobs past the retention policy (age, newest kept per '
        + 'type) and DEAD jobs past their age, in batches, from this node.',
        latest.purge ? ' Last: ' + time(latest.purge.at) + ', deleted ' + latest.purge.answer.total + '.' : ''),
      el('li', {}, 'Flush writes what this node holds back for batching (completions, progress, audit entries) now.',
        latest.flush ? ' Last: ' + time(latest.flush.at) + ', ' + (latest.flush.answer.flushed ? 'all written.'
          : 'not all written.') : '')),
  ];
}
