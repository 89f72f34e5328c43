/*
 * The claim panel (a modal <dialog>): what it is showing, its form, and
 * opening it on a new span or an existing claim. User strings are only ever
 * set with textContent or form values.
 */
import { api, errorText } from './api.js';
import { refresh } from './fragment.js';
import { canPublish } from './page.js';
import { selectedSpan } from './selection.js';
import { describeStatus } from './workflow.js';

const byId = (id) => document.getElementById(id);
// Absent for readers, who get no panel; nothing here runs for them.
const panel = byId('claim-panel');
const form = byId('claim-form');
const citationRows = byId('citation-rows');
const citationTemplate = byId('citation-template');

/**
 * What the panel is showing: a new span, or an existing claim with the ETag
 * it was loaded at (sent as If-Match on every write); after a 412, pending
 * holds the claim as it is now. Shared by reference: change it in place.
 */
export const state = { mode: null, span: null, claim: null, etag: null, pending: null };

function resetState(values) {
  Object.assign(state, { mode: null, span: null, claim: null, etag: null, pending: null }, values);
}

// -- the form ----------------------------------------------------------------

export function addCitationRow(citation) {
  const row = citationTemplate.content.firstElementChild.cloneNode(true);
  const n = citationRows.children.length + 1;
  row.querySelector('legend').textContent = `Source ${n}`;
  row.querySelectorAll('input, textarea, select').forEach((input) => {
    input.id = `citation-${n}-${input.name}`;
    if (citation && citation[input.name] != null) input.value = citation[input.name];
  });
  if (citation && citation.id) row.dataset.citationId = citation.id;
  row.querySelector('.remove-citation').addEventListener('click', () => row.remove());
  citationRows.appendChild(row);
  return row;
}

function readCitations() {
  return Array.from(citationRows.children, (row) => {
    const citation = { id: row.dataset.citationId ? Number(row.dataset.citationId) : null };
    row.querySelectorAll('input, textarea, select').forEach((input) => {
      citation[input.name] = input.value.trim();
    });
    return citation;
  });
}

/** The form as typed: {verdict, label, summary, rationale, citations}. */
export function readForm() {
  const checked = form.querySelector('input[name="verdict"]:checked');
  return {
    verdict: checked ? checked.value : null,
    label: form.elements.label.value.trim(),
    summary: form.elements.summary.value.trim(),
    rationale: form.elements.rationale.value.trim(),
    citations: readCitations(),
  };
}

export function fillForm(values) {
  form.querySelectorAll('input[name="verdict"]').forEach((radio) => {
    radio.checked = radio.value === values.verdict;
  });
  form.elements.label.value = values.label || '';
  form.elements.summary.value = values.summary || '';
  form.elements.rationale.value = values.rationale || '';
  citationRows.replaceChildren();
  (values.citations || []).forEach(addCitationRow);
}

export function setVerdict(verdict) {
  const radio = form.querySelector(`input[name="verdict"][value="${verdict}"]`);
  if (radio) radio.checked = true;
}

export function say(message) { byId('panel-status').textContent = message || ''; }
export function fail(message) { byId('panel-error').textContent = message || ''; }

// -- opening and closing -----------------------------------------------------

export const panelOpen = () => panel.open;
export const inPanel = (node) => panel.contains(node);

function showButtons() {
  const existing = state.mode === 'edit';
  const claim = state.claim;
  // A retracted claim is final: nothing to save, nothing to move.
  byId('save-claim').hidden = existing && claim.status === 'retracted';
  // Readers saw it once published: retract it instead (with a reason).
  byId('delete-claim').hidden = !(existing && canPublish && !claim.publication);
  byId('confirm-delete').hidden = true;
  byId('show-history').hidden = !existing;
  byId('reattach-claim').hidden = !(existing && claim.anchor_state === 'orphaned' &&
                                    claim.status !== 'retracted');
}

function openPanel() {
  fail('');
  say('');
  byId('conflict').hidden = true;
  byId('history').hidden = true;
  showButtons();
  if (!panel.open) panel.showModal();
  // For the parts that follow the shown claim (the discussion) without
  // this module knowing them.
  panel.dispatchEvent(new Event('panel-shown'));
}

function openNew(span) {
  resetState({ mode: 'new', span });
  byId('panel-title').textContent = 'New claim';
  byId('panel-meta').textContent = 'New draft: submit it for review when ready; an editor publishes it.';
  byId('panel-quote').textContent = span.exact;
  fillForm({ verdict: null, citations: [] });
  openPanel();
  form.querySelector('input[name="verdict"]').focus();
}

/** Show a claim as the server returned it, with the ETag to write against. */
export function showClaim(claim, etag) {
  resetState({ mode: 'edit', claim, etag });
  byId('panel-title').textContent = `Claim ${claim.id}`;
  byId('panel-meta').textContent =
    `${describeStatus(claim)} · version ${claim.version}` +
    (claim.anchor_state === 'orphaned' ? ' · orphaned: its text is gone from the article' : '');
  byId('panel-quote').textContent = claim.exact;
  fillForm(claim);
  openPanel();
}

export async function openExisting(claimId) {
  const result = await api('GET', `/api/v1/claims/${claimId}`);
  if (!result.ok) {
    // Gone meanwhile (deleted by someone else): say so, and redraw.
    const hint = byId('select-hint');
    if (hint) hint.textContent = errorText(result);
    return refresh();
  }
  showClaim(result.data, result.etag);
  // The checked radio, as Tab would reach it (a selector list would match
  // the first radio in document order instead).
  (form.querySelector('input[name="verdict"]:checked') ||
   form.querySelector('input[name="verdict"]')).focus();
}

/** Open a new claim on the selected text; false when there is none to use. */
export function openFromSelection() {
  const span = selectedSpan();
  if (!span) return false;
  if (span.error) { byId('select-hint').textContent = span.error; return false; }
  openNew(span);
  return true;
}

export function closePanel() {
  if (panel.open) panel.close();
}
