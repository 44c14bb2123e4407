// The shell: routes #/... to a page, redraws it every 2 s, keeps the header's health and alert count current.
import { el, clear, safeClass } from './dom.js';
import { get, openSession } from './api.js';
import { onNotify, onRefresh } from './events.js';
import { overviewPage } from './overview.js';
import { jobsPage } from './jobs.js';
import { jobPage } from './job.js';
import { batchesPage, alertsPage, nodesPage, recurringPage } from './lists.js';
import { clusterPage } from './cluster.js';

const REFRESH_MS = 2000;
const view = document.getElementById('view');
let drawing = false;
let noticeTimer = null;

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(search || '');
  switch (parts[0]) {
    case 'jobs': return { nav: 'jobs', draw: () => jobsPage({ state: parts[1] || 'all', params }) };
    case 'job': return { nav: 'jobs', draw: () => jobPage(parts[1] || '') };
    case 'batches': return { nav: 'batches', draw: batchesPage };
    case 'alerts': return { nav: 'alerts', draw: alertsPage };
    case 'nodes': return { nav: 'nodes', draw: nodesPage };
    case 'cluster': return { nav: 'cluster', draw: clusterPage };
    case 'recurring': return { nav: 'recurring', draw: recurringPage };
    default: return { nav: 'overview', draw: overviewPage };
  }
}

async function draw() {
  if (drawing) {
    return;
  }
  drawing = true;
  const current = route();
  try {
    const content = await current.draw();
    clear(view);
    for (const node of [content].flat(3)) {
      if (node) view.appendChild(node);
    }
    for (const a of document.querySelectorAll('[data-nav]')) {
      a.classList.toggle('active', a.getAttribute('data-nav') === current.nav);
    }
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    notify('Could not load: ' + e.message, true);
  } finally {
    drawing = false;
  }
}

async function header() {
  try {
    const [health, alerts] = await Promise.all([get('api/health'), get('api/alerts')]);
    const badge = document.getElementById('health-badge');
    badge.textContent = health.status + ' ' + health.score;
    badge.className = 'badge status-' + safeClass(health.status);
    document.getElementById('alert-count').textContent = alerts.length ? String(alerts.length) : '';
  } catch (e) {
    document.getElementById('health-badge').textContent = 'unreachable';
  }
}

function notify(message, bad) {
  const notice = document.getElementById('notice');
  notice.textContent = message;
  notice.className = 'notice' + (bad ? ' bad' : '');
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { notice.className = 'notice hidden'; }, 6000);
}

// Redrawing under the user's hands would reset a half-typed filter or an open priority list.
function busy() {
  const active = document.activeElement;
  return active && ['INPUT', 'SELECT', 'TEXTAREA'].includes(active.tagName);
}

async function tick() {
  if (document.visibilityState === 'visible' && !busy()) {
    await Promise.all([draw(), header()]);
  }
}

async function start() {
  onNotify(notify);
  onRefresh(() => { draw(); header(); });
  try {
    const session = await openSession();
    const mode = document.getElementById('mode-badge');
    mode.textContent = (session.readOnly ? 'read-only' : '') + (session.user ? ' ' + session.user : '');
  } catch (e) {
    notify('Could not open a session: ' + e.message, true);
  }
  window.addEventListener('hashchange', () => { draw(); });
  await Promise.all([draw(), header()]);
  setInterval(tick, REFRESH_MS);
}

start();
