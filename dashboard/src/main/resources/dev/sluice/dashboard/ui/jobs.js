import { el, stateBadge, time } from './dom.js';
import { get } from './api.js';
import { jobActions } from './actions.js';
import { bulkControls } from './bulk.js';

const TABS = ['all', 'READY', 'RUNNING', 'SCHEDULED', 'WAITING', 'DEAD', 'CANCELLED', 'SUCCEEDED'];

// route: { state, params: URLSearchParams }
export async function jobsPage(route) {
  const state = TABS.includes(route.state) ? route.state : 'all';
  const queue = route.params.get('queue') || '';
  const type = route.params.get('type') || '';
  const after = route.params.get('after') || '';
  const query = new URLSearchParams({ state, limit: '50' });
  if (queue) query.set('queue', queue);
  if (type) query.set('type', type);
  if (after) query.set('after', after);
  const page = await get('api/jobs?' + query);

  const link = (s, extra) => {
    const p = new URLSearchParams();
    if (queue) p.set('queue', queue);
    if (type) p.set('type', type);
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    const q = p.toString();
    return '#/jobs/' + s + (q ? '?' + q : '');
  };
  const queueInput = el('input', { name: 'queue', placeholder: 'queue', value: queue, 'aria-label': 'queue' });
  const typeInput = el('input', { name: 'type', placeholder: 'type', value: type, 'aria-label': 'type' });
  const filters = el('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (queueInput.value.trim()) p.set('queue', queueInput.value.trim());
    if (typeInput.value.trim()) p.set('type', typeInput.value.trim());
    location.hash = '#/jobs/' + state + (p.toString() ? '?' + p : '');
  } }, queueInput, typeInput, el('button', { type: 'submit' }, 'Filter'));

  const bulk = bulkControls([state, queue, type].join('|'), page.jobs);
  return [
    el('h1', {}, 'Jobs'),
    el('div', { class: 'tabs' }, TABS.map((s) => el('a', { href: link(s), class: s === state ? 'active' : null,
      'data-tab': s }, s === 'all' ? 'all' : s.toLowerCase()))),
    filters,
    bulk ? bulk.results : null,
    bulk && page.jobs.length ? bulk.bar : null,
    page.jobs.length ? jobTable(page.jobs, bulk) : el('p', { class: 'muted', id: 'no-jobs' }, 'No jobs here.'),
    el('div', { class: 'pager' },
      after ? el('a', { href: link(state) }, '« First page') : null,
      page.nextAfter ? el('a', { href: link(state, { after: page.nextAfter }), id: 'next-page' }, 'Next page »')
        : el('span', { class: 'muted small' }, 'Last page')),
  ];
}

// bulk: the selection's controls, or null in read-only mode (no checkboxes then).
function jobTable(jobs, bulk) {
  return el('table', { id: 'jobs' },
    el('thead', {}, el('tr', {}, bulk ? el('th', { class: 'select' }, bulk.all) : null,
      ['id', 'type', 'queue', 'priority', 'state', 'attempts', 'created', 'last error', '']
        .map((h) => el('th', {}, h)))),
    el('tbody', {}, jobs.map((job) => el('tr', { 'data-job': job.id },
      bulk ? el('td', { class: 'select' }, bulk.checkbox(job)) : null,
      el('td', { class: 'id' }, el('a', { href: '#/job/' + job.id }, job.id)),
      el('td', {}, job.type),
      el('td', {}, job.queue),
      el('td', {}, job.priority),
      el('td', {}, stateBadge(job.state)),
      el('td', { class: 'num' }, job.attempts + '/' + job.maxAttempts),
      el('td', {}, time(job.createdAt)),
      el('td', { class: 'error', title: job.lastError || '' }, job.lastError || ''),
      el('td', {}, jobActions(job))))));
}
