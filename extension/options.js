'use strict';

const DEFAULT_SERVICE_URL = 'http://127.0.0.1:8000';
const input = document.getElementById('service-url');
const status = document.getElementById('status');

// The stored address can arrive after the reader has typed (a slow start):
// what was typed wins, or Save would store the old address instead.
let typed = false;
input.addEventListener('input', () => { typed = true; }, { once: true });
chrome.storage.sync.get({ serviceUrl: DEFAULT_SERVICE_URL }).then(({ serviceUrl }) => {
  if (!typed) input.value = serviceUrl;
});

document.getElementById('options').addEventListener('submit', async (event) => {
  event.preventDefault();
  let url;
  try {
    url = new URL(input.value.trim());
  } catch (error) {
    status.textContent = 'That is not a URL.';
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    status.textContent = 'Use an http or https URL.';
    return;
  }
  const serviceUrl = url.origin + url.pathname.replace(/\/+$/, '');
  await chrome.storage.sync.set({ serviceUrl });
  input.value = serviceUrl;
  status.textContent = `Saved: ${serviceUrl}`;
});
