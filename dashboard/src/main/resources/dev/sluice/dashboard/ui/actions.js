// Buttons that change a job, a queue or the cluster. Hidden in read-only mode (the server refuses changes anyway).
import { el, clear } from './dom.js';
import { post, currentSession } from './api.js';
import { notify, refreshNow } from './events.js';

const WAITING = ['WAITING', 'SCHEDULED', 'READY'];
export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'CRITICAL'];
const CONFIRM_MS = 15000;
// Questions waiting for their answer, by key, until they expire: the 2 s redraw must not forget them.
const pending = new Map();

export function readOnly() {
  const session = currentSession();
  return !session || session.readOnly;
}

// Posts a change and tells the outcome; describe(answer) words a success (default "done").
export async function run(label, path, body, describe) {
  let answer = null;
  try {
    answer = await post(path, body);
    notify(label + ': ' + (describe ? describe(answer) : 'done'));
  } catch (e) {
    notify(label + ': ' + e.message, true);
  }
  refreshNow();
  return answer;
}

// A button whose action runs only after a second, explicit click on "Yes". attrs: { action, class }.
export function confirmButton(key, label, question, attrs, action) {
  const holder = el('span', { class: 'confirm', 'data-confirm': attrs.action });
  const draw = () => {
    clear(holder);
    const until = pending.get(key);
    if (until && until > Date.now()) {
      holder.append(el('span', { class: 'question' }, question),
        el('button', { type: 'button', class: 'danger', 'data-action': attrs.action + '-confirm',
          onclick: () => { pending.delete(key); action(); } }, 'Yes, ' + label.toLowerCase()),
        el('button', { type: 'button', 'data-action': attrs.action + '-keep',
          onclick: () => { pending.delete(key); draw(); } }, 'No'));
    } else {
      pending.delete(key);
      holder.append(el('button', { type: 'button', class: attrs.class, 'data-action': attrs.action,
        onclick: () => { pending.set(key, Date.now() + CONFIRM_MS); draw(); } }, label));
    }
  };
  draw();
  return holder;
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
      onclick: () => run('Cancel ' + job.id, base + 'cancel', {},
        (a) => (a.outcome === 'REQUESTED' ? 'requested (it is running)' : 'done')) }, 'Cancel'));
  }
  if (WAITING.includes(job.state)) {
    const select = prioritySelect(job.priority);
    box.appendChild(select);
    box.appendChild(el('button', { type: 'button', 'data-action': 'reprioritize',
      onclick: () => run('Priority of ' + job.id, base + 'reprioritize', { priority: select.value }) },
      'Set priority'));
  }
  return box;
}

export function prioritySelect(current) {
  return el('select', { 'data-action': 'priority', 'aria-label': 'priority' },
    PRIORITIES.map((p) => el('option', { value: p, selected: p === current }, p)));
}

// Pause or resume, and drain (cancel every job not started) after a confirmation.
export function queueActions(queue) {
  if (readOnly()) {
    return el('span', {}, queue.paused ? 'paused' : '');
  }
  const base = 'api/queues/' + encodeURIComponent(queue.name) + '/';
  const toggle = queue.paused
    ? el('button', { type: 'button', 'data-action': 'resume',
      onclick: () => run('Resume ' + queue.name, base + 'resume') }, 'Resume')
    : el('button', { type: 'button', 'data-action': 'pause',
      onclick: () => run('Pause ' + queue.name, base + 'pause') }, 'Pause');
  const depth = queue.depth === undefined ? '' : ' ' + queue.depth;
  const drain = confirmButton('drain:' + queue.name, 'Drain',
    'Cancel the' + depth + ' jobs of ' + queue.name + ' that have not started?', { action: 'drain', class: 'danger' },
    () => run('Drain ' + queue.name, base + 'drain', { confirm: queue.name },
      (a) => 'cancelled ' + a.cancelled + ' job' + (a.cancelled === 1 ? '' : 's')));
  return el('div', { class: 'actions' }, toggle, drain);
}
