/*
 * Fact-checker mode in the options page: sign in (username and password)
 * or paste a personal API token. The permission to reach the service is
 * requested here, on the checker's click (the browser asks only on a user
 * gesture); the credentials go to the service worker, which asks the
 * service and keeps only a token. Nothing is enabled without both.
 */
'use strict';

(function () {
  const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8000';
  const $ = (id) => document.getElementById(id);
  const status = $('checker-status');
  let service = DEFAULT_SERVICE_URL;

  chrome.storage.sync.get({ serviceUrl: DEFAULT_SERVICE_URL }).then(({ serviceUrl }) => { service = serviceUrl; });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync' && changes.serviceUrl) service = changes.serviceUrl.newValue || DEFAULT_SERVICE_URL;
  });

  function show(answer, note) {
    const on = answer && answer.data && answer.data.service;
    if (on) {
      const who = answer.data.username ? `, signed in as ${answer.data.username}` : '';
      status.textContent = `Fact-checker mode is on for ${answer.data.service}${who}.`;
    } else {
      status.textContent = (answer && answer.error ? `Fact-checker mode is off: ${answer.error.message}`
        : 'Fact-checker mode is off.') + (note ? ` ${note}` : '');
    }
    $('checker-off').hidden = !!on;
    $('checker-sign-out').hidden = !on;
  }

  /** Asks the browser for the service's host; must run straight from the click. */
  async function reachService() {
    let origin;
    try {
      const url = new URL(service);
      origin = `${url.protocol}//${url.hostname}/*`;
    } catch (error) {
      show({ error: { message: 'save a valid service URL first.' } });
      return false;
    }
    status.textContent = `Asking the browser to let the extension reach ${service}…`;
    let granted = false;
    try {
      granted = await chrome.permissions.request({ origins: [origin] });
    } catch (error) {
      granted = false;
    }
    if (!granted) show({ error: { message: `the browser did not allow access to ${service}.` } });
    return granted;
  }

  const ask = (message) => chrome.runtime.sendMessage(message)
    .catch(() => ({ error: { message: 'the extension is restarting; try again.' } }));

  $('checker-sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!(await reachService())) return;
    status.textContent = `Signing in to ${service}…`;
    const password = $('checker-password');
    const answer = await ask({ type: 'checker-sign-in', service, username: $('checker-username').value,
      password: password.value });
    password.value = '';  // kept nowhere
    show(answer);
    if (answer && answer.error) password.focus();
  });

  $('checker-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!(await reachService())) return;
    const token = $('checker-token');
    const answer = await ask({ type: 'checker-enable', token: token.value, service });
    token.value = '';
    show(answer);
  });

  $('checker-sign-out').addEventListener('click', async () => {
    const answer = await ask({ type: 'checker-sign-out' });
    show(answer.error ? answer : null, answer.data && answer.data.note);
    $('checker-username').focus();
  });

  ask({ type: 'checker-status' }).then((answer) => show(answer && answer.data ? answer : null));
})();
