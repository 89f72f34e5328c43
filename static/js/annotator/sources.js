/*
 * The panel's sources as compact rows: the URL first; the title and
 * publisher read from the page it leads to (GET /api/v1/link-preview, which
 * fetches it with the import's safety rules) into whichever of the two is
 * still empty, and editable; stance, excerpt and archive URL behind "More";
 * Up and Down to reorder (the order is saved with the claim). Every change
 * is announced to the form as an input event, so that drafts see it too.
 */
import { api, errorText } from './api.js';

const byId = (id) => document.getElementById(id);
const rows = byId('citation-rows');
const template = byId('citation-template');
const DEFAULT_STANCE = globalThis.FactVocabulary.stances[0];
const HTTP_URL = /^https?:\/\/[^\s/]+\S*$/i;

const field = (row, name) => row.querySelector(`[name="${name}"]`);

function changed() {
  rows.dispatchEvent(new Event('input', { bubbles: true }));
}

function announce(message) {
  byId('panel-status').textContent = message;
}

/** What "More" holds, shown on the button while it is closed: "refutes · excerpt". */
function moreSummary(row) {
  const parts = [];
  if (field(row, 'stance').value !== DEFAULT_STANCE) parts.push(field(row, 'stance').value);
  if (field(row, 'excerpt').value.trim()) parts.push('excerpt');
  if (field(row, 'archive_url').value.trim()) parts.push('archived');
  return parts.join(' · ');
}

function drawMoreButton(row) {
  const button = row.querySelector('.more-citation');
  const open = button.getAttribute('aria-expanded') === 'true';
  const summary = open ? '' : moreSummary(row);
  button.querySelector('.more-text').textContent = open ? 'Less' : 'More';
  button.querySelector('.more-summary').textContent = summary ? `: ${summary}` : '';
}

/** Ids, legends and button names follow the rows' order (ids: citation-N-field). */
function renumber() {
  const all = Array.from(rows.children);
  all.forEach((row, i) => {
    const n = i + 1;
    row.querySelector('legend').textContent = `Source ${n}`;
    row.querySelectorAll('input, textarea, select').forEach((input) => {
      input.id = `citation-${n}-${input.name}`;
    });
    row.querySelector('.source-more').id = `citation-${n}-more`;
    row.querySelector('.more-citation').setAttribute('aria-controls', `citation-${n}-more`);
    row.querySelector('.which-source').textContent = ` about source ${n}`;
    row.querySelector('.move-up').setAttribute('aria-label', `Move source ${n} up`);
    row.querySelector('.move-down').setAttribute('aria-label', `Move source ${n} down`);
    row.querySelector('.remove-citation').setAttribute('aria-label', `Remove source ${n}`);
    // aria-disabled rather than disabled: a disabled button drops the focus
    // of whoever just moved the row to the top with it.
    row.querySelector('.move-up').setAttribute('aria-disabled', String(i === 0));
    row.querySelector('.move-down').setAttribute('aria-disabled', String(i === all.length - 1));
  });
}

function move(row, step, button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  const from = Array.prototype.indexOf.call(rows.children, row);
  if (step < 0) row.previousElementSibling.before(row);
  else row.nextElementSibling.after(row);
  renumber();
  button.focus();
  announce(`Source ${from + 1} moved ${step < 0 ? 'up' : 'down'}: now source ${from + 1 + step}. Save to keep the order.`);
  changed();
}

/** Fill the title and publisher, where still empty, from the page at the row's URL. */
async function lookUp(row) {
  const url = field(row, 'url').value.trim();
  const status = row.querySelector('.source-lookup');
  const title = field(row, 'title');
  const publisher = field(row, 'publisher');
  if (!HTTP_URL.test(url) || (title.value.trim() && publisher.value.trim())) return;
  if (row.dataset.lookedUp === url) return;
  row.dataset.lookedUp = url;
  // Said in the empty boxes, not in a line of its own: a line appearing
  // as the URL box loses focus would move the button being clicked.
  const names = row.querySelector('.source-names');
  const waiting = [title, publisher].filter((input) => !input.value.trim());
  waiting.forEach((input) => { input.placeholder = 'reading the page…'; });
  names.setAttribute('aria-busy', 'true');
  status.textContent = '';
  let result;
  try {
    result = await api('GET', `/api/v1/link-preview?url=${encodeURIComponent(url)}`);
  } catch {
    result = null;
  } finally {
    waiting.forEach((input) => { input.placeholder = ''; });
    names.removeAttribute('aria-busy');
  }
  if (field(row, 'url').value.trim() !== url) return;  // edited meanwhile: its own look-up follows
  if (!result) {
    status.textContent = 'Could not reach the server to read the page; type the title yourself.';
    return;
  }
  if (!result.ok) {
    status.textContent = `Could not read the page (${errorText(result)}); type the title yourself.`;
    return;
  }
  const filled = [];
  if (!title.value.trim() && result.data.title) { title.value = result.data.title; filled.push('title'); }
  if (!publisher.value.trim() && result.data.publisher) {
    publisher.value = result.data.publisher;
    filled.push('publisher');
  }
  status.textContent = filled.length
    ? `Filled in the ${filled.join(' and ')} from the page: check ${filled.length > 1 ? 'them' : 'it'}.`
    : 'The page names no title or publisher.';
  if (filled.length) changed();
}

function wire(row) {
  const more = row.querySelector('.more-citation');
  const span = (className) => Object.assign(document.createElement('span'), { className });
  more.replaceChildren(span('more-text'), span('which-source visually-hidden'), span('more-summary'));
  more.addEventListener('click', () => {
    const open = more.getAttribute('aria-expanded') !== 'true';
    more.setAttribute('aria-expanded', String(open));
    row.querySelector('.source-more').hidden = !open;
    drawMoreButton(row);
  });
  row.querySelector('.move-up').addEventListener('click', (event) => move(row, -1, event.currentTarget));
  row.querySelector('.move-down').addEventListener('click', (event) => move(row, 1, event.currentTarget));
  row.querySelector('.remove-citation').addEventListener('click', () => {
    // Focus goes to a neighbour's URL (or "Add a source"), not to the page's top.
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    (next ? field(next, 'url') : byId('add-citation')).focus();
    changed();
  });
  row.querySelectorAll('.source-more [name]').forEach((input) => {
    input.addEventListener('change', () => drawMoreButton(row));
  });
  field(row, 'url').addEventListener('change', () => { lookUp(row); });
}

/** Append a row for `citation` (null: an empty one) and return it. */
export function addCitationRow(citation) {
  const row = template.content.firstElementChild.cloneNode(true);
  wire(row);
  row.querySelectorAll('input, textarea, select').forEach((input) => {
    if (citation && citation[input.name] != null) input.value = citation[input.name];
  });
  if (citation && citation.id) row.dataset.citationId = citation.id;
  if (citation && citation.url) row.dataset.lookedUp = citation.url;
  rows.appendChild(row);
  renumber();
  drawMoreButton(row);
  return row;
}

/** The rows as typed, in their order: [{id, url, title, ...}]. */
export function readCitations() {
  return Array.from(rows.children, (row) => {
    const citation = { id: row.dataset.citationId ? Number(row.dataset.citationId) : null };
    row.querySelectorAll('input, textarea, select').forEach((input) => {
      citation[input.name] = input.value.trim();
    });
    return citation;
  });
}

export function clearCitationRows() {
  rows.replaceChildren();
}
