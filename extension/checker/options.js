/*
 * Fact-checker mode in the options page: the permission to reach the
 * service is requested here, on the checker's click (the browser asks the
 * user); the token goes to the service worker, which checks it with the
 * service and keeps it. Nothing is enabled without both.
 */
'use strict';

(function () {
  const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8000';
  const tokenInput = document.getElementById('checker-token');
  const status = document.getElementById('checker-status');
  const offButton = document.getElementById('checker-disable');
  let service = DEFAULT_SERVICE_URL;

  chrome.storage.sync.get({ serviceUrl: DEFAULT_SERVICE_URL }).then(({ serviceUrl }) => { service = serviceUrl; });
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync' && changes.serviceUrl) service = changes.serviceUrl.newValue || DEFAULT_SERVICE_URL;
  });

  function show(answer) {
    const on = answer && answer.data && answer.data.service;
    status.textContent = on ? `Fact-checker mode is on for ${answer.data.service}.`
      : (answer && answer.error ? `Fact-checker mode is off: ${answer.error.message}` : 'Fact-checker mode is off.');
    offButton.hidden = !on;
  }

  document.getElementById('checker-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    let origin;
    try {
      const url = new URL(service);
      origin = `${url.protocol}//${url.hostname}/*`;
    } catch (error) {
      show({ error: { message: 'save a valid service URL first.' } });
      return;
    }
    status.textContent = `Asking the browser to let the extension reach ${service}…`;
    // Called straight from the click: the browser asks only on a user gesture.
    let granted = false;
    try {
      granted = await chrome.permissions.request({ origins: [origin] });
    } catch (error) {
      granted = false;
    }
    if (!granted) {
      show({ error: { message: `the browser did not allow access to ${service}.` } });
      return;
    }
    const answer = await chrome.runtime.sendMessage({ type: 'checker-enable', token: tokenInput.value, service });
    tokenInput.value = '';
    show(answer);
  });

  offButton.addEventListener('click', async () => {
    show(await chrome.runtime.sendMessage({ type: 'checker-disable' }));
  });

  chrome.runtime.sendMessage({ type: 'checker-status' }).then((answer) => show(answer && answer.data ? answer : null));
})();
