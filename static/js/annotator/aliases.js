/*
 * "Other URLs of this article" (aliases) above the annotator: the desk sees
 * the list, fetched from the API; editors add a URL with the form and remove
 * one with its button. The server validates every URL (http(s) only, not
 * the article's own, not another article's) and its refusal is shown as it
 * says it. Built with textContent only; a URL becomes a link only when it is
 * http(s), opened in a new tab without a referrer or an opener.
 */
import { api, errorText } from './api.js';
import { canPublish } from './page.js';

const byId = (id) => document.getElementById(id);

function aliasesUrl() {
  return `/api/v1/articles/${byId('annotator').dataset.articleId}/aliases`;
}

function httpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function report(error, status = '') {
  byId('alias-error').textContent = error;
  byId('alias-status').textContent = status;
}

function aliasItem(alias) {
  const item = document.createElement('li');
  item.className = 'alias';
  item.dataset.aliasId = alias.id;
  let shown;
  if (httpUrl(alias.url)) {
    shown = document.createElement('a');
    shown.href = alias.url;
    shown.target = '_blank';
    shown.rel = 'noopener noreferrer';
  } else {
    shown = document.createElement('span');
  }
  shown.className = 'alias-url';
  shown.textContent = alias.url;
  item.append(shown);
  if (canPublish) {
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'alias-remove';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove ${alias.url}`);
    remove.addEventListener('click', () => removeAlias(alias, remove));
    item.append(' ', remove);
  }
  return item;
}

export async function loadAliases() {
  let result;
  try {
    result = await api('GET', aliasesUrl());
  } catch {
    report('Could not reach the server: the list of URLs is not shown.');
    return;
  }
  if (!result.ok) { report(errorText(result)); return; }
  byId('alias-list').replaceChildren(...result.data.map(aliasItem));
  byId('aliases-empty').hidden = result.data.length > 0;
}

async function addAlias(event) {
  event.preventDefault();
  const input = byId('alias-url');
  const url = input.value.trim();
  if (!url) { report('URL: a URL is required'); input.focus(); return; }
  const button = byId('alias-add');
  button.disabled = true;
  try {
    const result = await api('POST', aliasesUrl(), { url }).catch(() => null);
    if (!result) { report('Could not reach the server: nothing was added.'); return; }
    if (!result.ok) { report(errorText(result, () => 'URL')); input.focus(); return; }
    input.value = '';
    await loadAliases();
    report('', 'URL added.');
  } finally {
    button.disabled = false;
  }
}

async function removeAlias(alias, button) {
  button.disabled = true;
  const result = await api('DELETE', `${aliasesUrl()}/${alias.id}`).catch(() => null);
  if (!result) {
    button.disabled = false;
    report('Could not reach the server: nothing was removed.');
    return;
  }
  // Already gone (another editor removed it): the list catches up either way.
  if (!result.ok && result.status !== 404) {
    button.disabled = false;
    report(errorText(result));
    return;
  }
  await loadAliases();
  report('', 'URL removed.');
}

export function initAliases() {
  if (!byId('article-aliases')) return;
  const form = byId('alias-form');
  if (form) form.addEventListener('submit', addAlias);
  loadAliases();
}
