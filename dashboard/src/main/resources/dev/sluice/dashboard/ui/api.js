// The dashboard's JSON API. Every change sends the session's CSRF token; the cookie goes along by itself.
let session = null;

export async function openSession() {
  session = await get('api/session');
  return session;
}

export function currentSession() {
  return session;
}

export async function get(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  return read(response);
}

export async function post(path, body) {
  if (!session) {
    await openSession();
  }
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-Sluice-Csrf': session.csrfToken,
    },
    body: JSON.stringify(body || {}),
  });
  return read(response);
}

async function read(response) {
  const type = response.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await response.json() : { error: await response.text() };
  if (!response.ok) {
    const error = new Error(data.error || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return data;
}
