/*
 * The JSON API as the annotator calls it: the session cookie plus the CSRF
 * token from the page's <meta>. An HTTP error is a result, not an exception
 * (callers branch on its status, 412 above all); only a network failure
 * rejects.
 */
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

/** Resolves to {status, ok, etag, data}; data is null for 204 or non-JSON. */
export async function api(method, url, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', 'X-CSRFToken': csrfToken, ...extraHeaders };
  const options = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    options.body = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, options);
  const result = { status: response.status, ok: response.ok, etag: response.headers.get('ETag'), data: null };
  if (response.status === 204) return result;
  try {
    result.data = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): errorText() falls back to the status.
  }
  return result;
}

/**
 * The server's error as one line for the user, naming the field if any;
 * `nameOf` turns the request's field path into the words the form shows
 * (fieldlabels.js), else the path is shown as the server gave it.
 */
export function errorText(result, nameOf = (field) => field) {
  const error = result.data && result.data.error;
  if (!error) return `The server answered ${result.status}.`;
  return (error.field ? `${nameOf(error.field)}: ` : '') + error.message;
}
