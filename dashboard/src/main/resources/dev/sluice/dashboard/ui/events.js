// Hooks between the pages and the shell (app.js), so that pages need not import the shell.
const hooks = { notify: () => {}, refresh: () => {} };

export function onNotify(fn) {
  hooks.notify = fn;
}

export function onRefresh(fn) {
  hooks.refresh = fn;
}

export function notify(message, bad) {
  hooks.notify(message, bad);
}

export function refreshNow() {
  hooks.refresh();
}
