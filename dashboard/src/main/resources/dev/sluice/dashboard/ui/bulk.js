// Bulk actions in job lists: the ids ticked survive the 2 s redraw, and the outcome of the last bulk action (one
// line per job) stays on the list until it is dismissed or another list is opened.
import { el, stateBadge, safeClass } from './dom.js';
import { post } from './api.js';
import { notify, refreshNow } from './events.js';
import { readOnly, prioritySelect } from './actions.js';

const LABELS = { retry: 'Retry', cancel: 'Cancel', reprioritize: 'Set priority' };
const selection = { list: null, ids: new Set() };
let last = null; // { list, answer }

// The controls of one drawing of a list, or null in read-only mode. listKey names the list (state, queue, type).
export function bulkControls(listKey, jobs) {
  if (readOnly()) {
    return null;
  }
  if (selection.list !== listKey) {
    selection.list = listKey;
    selection.ids.clear();
  }
  const shown = new Set(jobs.map((j) => j.id));
  for (const id of [...selection.ids]) {
    if (!shown.has(id)) selection.ids.delete(id);
  }
  const boxes = [];
  const buttons = [];
  const count = el('span', { id: 'bulk-count', class: 'muted' });
  const all = el('input', { type: 'checkbox', 'data-select': 'all', 'aria-label': 'select every job on this page',
    onchange: () => {
      selection.ids.clear();
      if (all.checked) jobs.forEach((j) => selection.ids.add(j.id));
      boxes.forEach((b) => { b.checked = selection.ids.has(b.value); });
      update();
    } });
  const update = () => {
    count.textContent = selection.ids.size + ' selected';
    buttons.forEach((b) => { b.disabled = selection.ids.size === 0; });
    all.checked = jobs.length > 0 && selection.ids.size === jobs.length;
  };
  const checkbox = (job) => {
    const box = el('input', { type: 'checkbox', value: job.id, 'data-select': job.id, checked: selection.ids.has(job.id),
      'aria-label': 'select job ' + job.id, onchange: () => {
        if (box.checked) selection.ids.add(job.id); else selection.ids.delete(job.id);
        update();
      } });
    boxes.push(box);
    return box;
  };
  const priority = prioritySelect('HIGH');
  const button = (action, label, cls, body) => {
    const b = el('button', { type: 'button', class: cls, 'data-bulk': action,
      onclick: () => runBulk(listKey, action, body ? body() : {}) }, label);
    buttons.push(b);
    return b;
  };
  const bar = el('div', { class: 'bulk actions', id: 'bulk' }, count,
    button('retry', 'Retry selected', 'primary'), button('cancel', 'Cancel selected', 'danger'),
    priority, button('reprioritize', 'Set priority of selected', null, () => ({ priority: priority.value })));
  update();
  return { bar, all, checkbox, results: last && last.list === listKey ? results(last.answer) : null };
}

async function runBulk(listKey, action, body) {
  const ids = [...selection.ids];
  const label = LABELS[action] + ' ' + ids.length + ' job' + (ids.length === 1 ? '' : 's');
  try {
    const answer = await post('api/jobs/' + action, { ...body, ids });
    last = { list: listKey, answer };
    selection.ids.clear();
    notify(label + ': ' + summary(answer.counts));
  } catch (e) {
    notify(label + ': ' + e.message, true);
  }
  refreshNow();
}

function summary(counts) {
  const words = { DONE: 'done', REQUESTED: 'requested (running)', REFUSED: 'refused', NOT_FOUND: 'not found' };
  return Object.entries(counts).filter(([, n]) => n > 0).map(([o, n]) => n + ' ' + words[o]).join(', ');
}

function results(answer) {
  return el('div', { class: 'bulk-results', id: 'bulk-results' },
    el('div', { class: 'actions' }, el('strong', {}, LABELS[answer.action]), summary(answer.counts),
      el('button', { type: 'button', 'data-action': 'dismiss', onclick: () => { last = null; refreshNow(); } },
        'Dismiss')),
    el('table', {},
      el('thead', {}, el('tr', {}, ['job', 'outcome', 'state now'].map((h) => el('th', {}, h)))),
      el('tbody', {}, answer.results.map((r) => el('tr', { 'data-result': r.id },
        el('td', { class: 'id' }, el('a', { href: '#/job/' + r.id }, r.id)),
        el('td', {}, el('span', { class: 'outcome outcome-' + safeClass(r.outcome) }, r.outcome)),
        el('td', {}, r.state ? stateBadge(r.state) : ''))))));
}
