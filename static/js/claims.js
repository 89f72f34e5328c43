/*
 * The claim desk (templates/claims.html): every claim across articles from
 * GET /api/v1/claims, with the filters kept in the page's address (loading a
 * shared address restores them and the results), a count per verdict, "Load
 * more" by the list's keyset cursor, and one action on the selected claims
 * through POST /api/v1/claims/bulk, which changes all of them or none; editors
 * may also download the selection from the claim export (CSV, XLSX, JSON).
 * Every text from the server is set as textContent, never as markup.
 */
import { api, errorText } from './annotator/api.js';

const byId = (id) => document.getElementById(id);
const desk = byId('claim-desk');
const filters = byId('claim-filters');
const rows = byId('claim-rows');
const bulkForm = byId('bulk-form');
const bulkAction = byId('bulk-action');
const vocabulary = globalThis.FactVocabulary;
const PAGE_SIZE = 50;
const QUOTE_SHOWN = 160; // characters of a quote the list shows
const maxSelection = Number(desk.dataset.maxSelection);

const selected = new Set(); // claim ids, as numbers
let next = null;            // the cursor of the page after those shown
let serial = 0;             // answers to older requests are dropped

// -- the filters and the address ------------------------------------------------------

/** The form's filters as query parameters, empty ones and the default order left out. */
function filterParams() {
  const params = new URLSearchParams();
  new FormData(filters).forEach((value, name) => {
    const text = String(value).trim();
    if (text && !(name === 'sort' && text === 'updated')) params.append(name, text);
  });
  return params;
}

/** Set the form from the address's query (values the form does not offer are dropped). */
function restoreFilters(params) {
  for (const element of filters.elements) {
    if (!element.name) continue;
    if (element.type === 'checkbox') {
      element.checked = params.getAll(element.name).includes(element.value);
    } else if (element.tagName === 'SELECT') {
      const wanted = params.get(element.name);
      const known = [...element.options].some((option) => option.value === wanted);
      element.value = known ? wanted : element.options[0].value;
    } else {
      element.value = params.get(element.name) || '';
    }
  }
}

// -- the list -------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function cell(label, ...children) {
  const td = element('td', `col-${label.toLowerCase()}`);
  td.dataset.label = label; // the heading, shown beside the value on a narrow screen
  td.append(...children);
  return td;
}

function shortened(text) {
  return text.length > QUOTE_SHOWN ? `${text.slice(0, QUOTE_SHOWN - 1)}…` : text;
}

function siteOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function articleLink(claim) {
  const path = desk.dataset.articleUrl.replace('999999999', String(claim.article_id));
  return `${path}#claim-${claim.id}`;
}

function claimRow(claim) {
  const tr = element('tr');
  tr.dataset.claimId = String(claim.id);

  const pick = element('input');
  pick.type = 'checkbox';
  pick.className = 'pick-claim';
  pick.value = String(claim.id);
  pick.checked = selected.has(claim.id);
  pick.setAttribute('aria-label', `Select claim ${claim.id}`);
  const pickCell = cell('Select', pick);
  pickCell.classList.add('pick');

  const link = element('a', 'claim-quote', `“${shortened(claim.exact)}”`);
  link.href = articleLink(claim);
  const what = cell('Claim', link);
  if (claim.label) what.append(' ', element('span', 'label', claim.label));
  what.append(element('div', 'meta', `claim ${claim.id}`));

  const article = cell('Article', element('span', 'claim-article',
                                          claim.article_title || `article ${claim.article_id}`));
  const site = siteOf(claim.article_url);
  if (site) article.append(element('div', 'meta', site));

  const verdict = cell('Verdict', element(
    'span', `badge verdict-${claim.verdict}`,
    `${vocabulary.verdictIcon(claim.verdict) || ''} ${vocabulary.verdictWord(claim.verdict) || claim.verdict}`));

  const status = cell('Status', element('span', `status status-${claim.status}`,
                                        vocabulary.statusWords[claim.status] || claim.status));
  const notes = [];
  if (claim.anchor_state === 'orphaned') notes.push('orphaned');
  notes.push(`${claim.citation_count} source${claim.citation_count === 1 ? '' : 's'}`);
  status.append(element('div', 'meta', notes.join(' · ')));

  const assignee = cell('Assignee', claim.assignee || '—');
  const changed = cell('Changed', element('time', null, (claim.updated_at || '').slice(0, 10)));
  changed.firstChild.dateTime = claim.updated_at || '';

  tr.append(pickCell, what, article, verdict, status, assignee, changed);
  return tr;
}

function showSummary(counts) {
  const summary = byId('claim-summary');
  summary.replaceChildren();
  if (!counts) return;
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  summary.append(element('strong', null, `${total} claim${total === 1 ? '' : 's'}`), ': ');
  vocabulary.verdicts.forEach((verdict, index) => {
    if (index) summary.append(' · ');
    const part = element('span', `badge verdict-${verdict}`,
                         `${vocabulary.verdictIcon(verdict)} ${counts[verdict] || 0} ${vocabulary.verdictWord(verdict)}`);
    part.dataset.verdict = verdict;
    summary.append(part);
  });
}

function showError(box, message) {
  box.textContent = message;
  box.hidden = !message;
}

async function fetchPage(params) {
  try {
    return await api('GET', `${desk.dataset.listUrl}?${params}`);
  } catch {
    return { ok: false, status: 0, data: null };
  }
}

/** The first page for the filters in the address, with its counts. */
async function load() {
  const mine = ++serial;
  desk.dataset.state = 'loading';
  const params = new URLSearchParams(window.location.search);
  restoreFilters(params);
  const query = filterParams();
  query.set('limit', String(PAGE_SIZE));
  query.set('counts', 'true');
  const result = await fetchPage(query);
  if (mine !== serial) return;
  selected.clear();
  rows.replaceChildren();
  if (!result.ok) {
    showSummary(null);
    showError(byId('claim-error'), result.status
      ? `The list could not be shown: ${errorText(result)}`
      : 'The service could not be reached; try again.');
    next = null;
  } else {
    showError(byId('claim-error'), '');
    showSummary(result.data.counts);
    rows.append(...result.data.claims.map(claimRow));
    next = result.data.next;
  }
  afterRowsChanged();
  desk.dataset.state = result.ok ? 'loaded' : 'error';
}

async function loadMore() {
  if (!next) return;
  const mine = ++serial;
  desk.dataset.state = 'loading';
  const query = filterParams();
  query.set('limit', String(PAGE_SIZE));
  query.set('after', next);
  const result = await fetchPage(query);
  if (mine !== serial) return;
  if (result.ok) {
    rows.append(...result.data.claims.map(claimRow));
    next = result.data.next;
    showError(byId('claim-error'), '');
  } else {
    showError(byId('claim-error'), `The next page could not be shown: ${errorText(result)}`);
  }
  afterRowsChanged();
  desk.dataset.state = result.ok ? 'loaded' : 'error';
}

function afterRowsChanged() {
  byId('claim-empty').hidden = rows.children.length > 0 || desk.dataset.state === 'error';
  byId('load-more').hidden = !next;
  showSelection();
}

// -- the selection and bulk actions ----------------------------------------------------

function shownBoxes() {
  return [...rows.querySelectorAll('input.pick-claim')];
}

function showSelection() {
  const count = selected.size;
  byId('bulk-count').textContent = count
    ? `${count} claim${count === 1 ? '' : 's'} selected` : 'No claims selected';
  byId('bulk-apply').disabled = count === 0;
  const boxes = shownBoxes();
  const all = byId('select-all');
  all.checked = boxes.length > 0 && boxes.every((box) => box.checked);
  all.indeterminate = !all.checked && boxes.some((box) => box.checked);
}

function pick(box, on) {
  box.checked = on;
  const id = Number(box.value);
  if (on) selected.add(id); else selected.delete(id);
  box.closest('tr').classList.toggle('selected', on);
}

function showActionInputs() {
  const option = bulkAction.selectedOptions[0];
  const assigning = bulkAction.value === 'assign';
  const text = option && option.dataset.text;
  bulkForm.querySelectorAll('.bulk-assign').forEach((el) => { el.hidden = !assigning; });
  bulkForm.querySelectorAll('.bulk-text').forEach((el) => { el.hidden = !text; });
  bulkForm.querySelectorAll('.bulk-export').forEach((el) => { el.hidden = bulkAction.value !== 'export'; });
  byId('bulk-apply').textContent = bulkAction.value === 'export' ? 'Export the selection' : 'Apply to the selection';
  byId('bulk-note').required = Boolean(text);
  if (text) bulkForm.querySelector('label.bulk-text').textContent = text === 'reason' ? 'Reason (public)' : 'Note';
}

function clearRefused() {
  rows.querySelectorAll('tr.refused').forEach((tr) => tr.classList.remove('refused'));
}

/** The refusal of a bulk action: which claim refused and why, and that nothing changed. */
function refusalText(result, ids) {
  const error = result.data && result.data.error;
  const key = error && Object.keys(error.fields || {}).find((name) => /^claim_ids\.\d+$/.test(name));
  if (!key) return `Nothing was changed. ${errorText(result)}`;
  const claimId = ids[Number(key.split('.')[1])];
  const row = rows.querySelector(`tr[data-claim-id="${claimId}"]`);
  if (row) {
    row.classList.add('refused');
    row.scrollIntoView({ block: 'nearest' });
  }
  return `Nothing was changed: ${error.fields[key][0]}`;
}

/**
 * Download the selected claims (GET /api/v1/exports/claims.<format>?claim=…),
 * after asking the export how many rows that is: a refusal (a claim deleted
 * since the list was shown) is explained here instead of downloaded as JSON.
 */
async function exportSelection(ids) {
  const query = new URLSearchParams(ids.map((id) => ['claim', String(id)]));
  const format = byId('bulk-format').selectedOptions[0];
  let result;
  try {
    result = await api('GET', `${bulkAction.selectedOptions[0].dataset.countUrl}?${query}`);
  } catch {
    result = null;
  }
  if (!result || !result.ok) {
    showError(byId('bulk-error'), result
      ? `Nothing was exported. ${errorText(result)}` : 'The service could not be reached; try again.');
    return;
  }
  const link = element('a');
  link.href = `${format.dataset.url}?${query}`;
  link.download = '';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  const count = result.data.rows;
  byId('bulk-status').textContent = `Exporting ${count} claim${count === 1 ? '' : 's'} as ${format.textContent}.`;
}

async function applyBulk(event) {
  event.preventDefault();
  // In the order shown, so the error's index names a row the user sees.
  const ids = shownBoxes().map((box) => Number(box.value)).filter((id) => selected.has(id));
  if (!ids.length) return;
  if (ids.length > maxSelection) {
    showError(byId('bulk-error'), `Select at most ${maxSelection} claims at once.`);
    return;
  }
  if (bulkAction.value === 'export') {
    showError(byId('bulk-error'), '');
    byId('bulk-status').textContent = '';
    await exportSelection(ids);
    return;
  }
  const body = { claim_ids: ids, action: bulkAction.value };
  if (body.action === 'assign') {
    const value = byId('bulk-assignee').value;
    body.assignee_id = value ? Number(value) : null;
  }
  if (bulkAction.selectedOptions[0].dataset.text) body.note = byId('bulk-note').value;
  clearRefused();
  showError(byId('bulk-error'), '');
  byId('bulk-status').textContent = '';
  byId('bulk-apply').disabled = true;
  desk.dataset.state = 'acting';
  let result;
  try {
    result = await api('POST', desk.dataset.bulkUrl, body);
  } catch {
    result = null;
  }
  if (result && result.ok) {
    const label = bulkAction.selectedOptions[0].textContent.replace(/…$/, '');
    const done = result.data.claims.length;
    await load();
    byId('bulk-status').textContent = `${label}: done for ${done} claim${done === 1 ? '' : 's'}.`;
    return;
  }
  showError(byId('bulk-error'), result
    ? refusalText(result, ids) : 'The service could not be reached; nothing was changed.');
  desk.dataset.state = 'loaded';
  showSelection();
}

// -- wiring -----------------------------------------------------------------------------

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = filterParams().toString();
  window.history.pushState(null, '', query ? `?${query}` : window.location.pathname);
  byId('bulk-status').textContent = '';
  showError(byId('bulk-error'), '');
  load();
});
window.addEventListener('popstate', load);
byId('load-more').addEventListener('click', loadMore);
rows.addEventListener('change', (event) => {
  if (!event.target.matches('input.pick-claim')) return;
  pick(event.target, event.target.checked);
  showSelection();
});
byId('select-all').addEventListener('change', (event) => {
  shownBoxes().forEach((box) => pick(box, event.target.checked));
  showSelection();
});
bulkAction.addEventListener('change', showActionInputs);
bulkForm.addEventListener('submit', applyBulk);
showActionInputs();
// Listeners are in place: what the browser tests wait for before acting.
desk.dataset.ready = 'yes';
load();
