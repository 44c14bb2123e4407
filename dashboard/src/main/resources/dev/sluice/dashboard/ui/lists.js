import { el, stateBadge, time, number, safeClass } from './dom.js';
import { get } from './api.js';

export async function batchesPage() {
  const runs = await get('api/batches');
  return [
    el('h1', {}, 'Batch runs'),
    el('p', { class: 'muted small' }, 'Jobs that report progress (the batch processor\'s jobs do): the running ones '
      + 'and the latest seen by this dashboard.'),
    runs.length ? el('table', { id: 'batches' },
      el('thead', {}, el('tr', {}, ['job', 'type', 'state', 'progress', '', 'attempts', 'started', 'finished']
        .map((h) => el('th', {}, h)))),
      el('tbody', {}, runs.map((r) => el('tr', { 'data-job': r.id },
        el('td', { class: 'id' }, el('a', { href: '#/job/' + r.id }, r.id)),
        el('td', {}, r.type), el('td', {}, stateBadge(r.state)),
        el('td', {}, el('progress', { max: 1, value: r.state === 'SUCCEEDED' ? 1 : r.progress })),
        el('td', { class: 'num' }, Math.round((r.state === 'SUCCEEDED' ? 1 : r.progress) * 1000) / 10 + '%'),
        el('td', { class: 'num' }, r.attempts + '/' + r.maxAttempts),
        el('td', {}, time(r.startedAt)), el('td', {}, time(r.finishedAt))))))
      : el('p', { class: 'muted' }, 'No batch runs seen yet.'),
  ];
}

export async function alertsPage() {
  const alerts = await get('api/alerts');
  return [
    el('h1', {}, 'Alerts'),
    alerts.length ? alerts.map((a) => el('div', { class: 'alert', 'data-rule': a.rule },
      el('div', {}, el('span', { class: 'badge sev-' + safeClass(a.severity) }, a.severity), ' ',
        el('strong', {}, a.rule), ' · ', a.subject, ' ', el('span', { class: 'muted small' }, 'since ' + time(a.startedAt))),
      el('div', { class: 'message' }, a.message),
      el('div', { class: 'muted small' }, Object.entries(a.values).map(([k, v]) => k + ' = ' + number(v)).join(', '))))
      : el('p', { class: 'muted' }, 'No active alerts.'),
  ];
}

export async function nodesPage() {
  const [view, overview] = await Promise.all([get('api/nodes'), get('api/overview')]);
  const scaling = overview.overview.scaling;
  const leader = view.leader;
  return [
    el('h1', {}, 'Nodes'),
    el('p', { id: 'nodes-leader' }, leader
      ? ['Maintenance leader: ', el('strong', {}, leader.nodeId), el('span', { class: 'muted small' },
        ' (fencing token ' + leader.fencingToken + ', lease until ' + time(leader.expiresAt) + ')')]
      : el('span', { class: 'muted' }, 'No node leads the maintenance now.')),
    el('table', { id: 'nodes' },
      el('thead', {}, el('tr', {}, ['node', 'host', 'started', 'last heartbeat', 'workers', 'running']
        .map((h) => el('th', {}, h)))),
      el('tbody', {}, view.nodes.map((n) => el('tr', { 'data-node': n.nodeId },
        el('td', { class: 'id' }, n.nodeId, n.leader ? el('span', { class: 'badge leader' }, 'leader') : null,
          n.self ? el('span', { class: 'badge' }, 'this dashboard') : null),
        el('td', {}, n.host), el('td', {}, time(n.startedAt)), el('td', {}, n.lastSeen ? time(n.lastSeen) : 'none'),
        el('td', { class: 'num' }, n.workers < 0 ? '?' : n.workers), el('td', { class: 'num' }, n.running))))),
    view.note ? el('p', { class: 'muted small' }, view.note) : null,
    scaling ? [el('h2', {}, 'Scaling advice'), el('p', {}, scaling.direction + ' to ' + scaling.desiredWorkers
      + ' workers (now ' + scaling.currentWorkers + '): ' + scaling.reason)] : null,
  ];
}

export async function recurringPage() {
  const schedules = await get('api/recurring');
  return [
    el('h1', {}, 'Recurring jobs'),
    el('p', { class: 'muted small' }, 'The schedules registered on the node serving this dashboard. The '
      + 'maintenance leader stores each fire once; the last fire is the latest stored by any node.'),
    schedules.length ? el('table', { id: 'recurring' },
      el('thead', {}, el('tr', {}, ['id', 'schedule', 'zone', 'job type', 'next fire', 'last fire', 'misfires',
        'overlap'].map((h) => el('th', {}, h)))),
      el('tbody', {}, schedules.map((r) => el('tr', { 'data-recurring': r.id },
        el('td', { class: 'id' }, r.id), el('td', {}, r.schedule), el('td', {}, r.zone || '(interval: none)'),
        el('td', {}, el('a', { href: '#/jobs/all?type=' + encodeURIComponent(r.type) }, r.type)),
        el('td', {}, r.nextFire ? time(r.nextFire) : 'never'), el('td', {}, r.lastFire ? time(r.lastFire) : 'not yet'),
        el('td', {}, r.misfire), el('td', {}, r.noOverlap ? 'no overlap' : 'allowed')))))
      : el('p', { class: 'muted' }, 'No recurring jobs are registered on this node.'),
  ];
}
