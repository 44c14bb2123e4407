// Buttons that change a job or a queue. Hidden in read-only mode (the server refuses changes anyway).
import { el } from './dom.js';
import { post, currentSession } from './api.js';
import { notify, refreshNow } from './events.js';

const WAITING = ['WAITING', 'SCHEDULED', 'READY'];
const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'];

function readOnly() {
  const session = currentSession();
  return !session || session.readOnly;
}

async function run(label, path, body) {
  try {
    await post(path, body);
    notify(label + ': done');
  } catch (e) {
    notify(label + ': ' + e.message, true);
  }
  refreshNow();
}

export function jobActions(job) {
  if (readOnly()) {
    return el('span', { class: 'muted small' }, '');
  }
  const base = 'api/jobs/' + encodeURIComponent(job.id) + '/';
  const box = el('div', { class: 'actions' });
  if (job.state === 'DEAD' || job.state === 'CANCELLED') {
    box.appendChild(el('button', { type: 'button', class: 'primary', 'data-action': 'retry',
      onclick: () => run('Retry ' + job.id, base + 'retry') }, 'Retry'));
  }
  if (job.state !== 'SUCCEEDED' && job.state !== 'DEAD' && job.state !== 'CANCELLED') {
    box.appendChild(el('button', { type: 'button', class: 'danger', 'data-action': 'cancel',
      onclick: () => run('Cancel ' + job.id, base + 'cancel') }, 'Cancel'));
  }
  if (WAITING.includes(job.state)) {
    const select = el('select', { 'data-action': 'priority', 'aria-label': 'priority' },
      PRIORITIES.map((p) => el('option', { value: p, selected: p === job.priority }, p)));
    box.appendChild(select);
    box.appendChild(el('button', { type: 'button', 'data-action': 'reprioritize',
      onclick: () => run('Priority of ' + job.id, base + 'reprioritize', { priority: select.value }) },
      'Set priority'));
  }
  return box;
}

export function queueActions(queue) {
  if (readOnly()) {
    return el('span', {}, queue.paused ? 'paused' : '');
  }
  const base = 'api/queues/' + encodeURIComponent(queue.name) + '/';
  return queue.paused
    ? el('button', { type: 'button', 'data-action': 'resume',
      onclick: () => run('Resume ' + queue.name, base + 'resume') }, 'Resume')
    : el('button', { type: 'button', 'data-action': 'pause',
      onclick: () => run('Pause ' + queue.name, base + 'pause') }, 'Pause');
}
