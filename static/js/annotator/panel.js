/*
 * The claim panel: what it is showing, its form, and opening it on a new
 * span or an existing claim. A non-modal <dialog> beside the article (a
 * bottom sheet on a narrow screen): the article stays readable and
 * selectable while it is open. Focus moves into it on opening and back to
 * the claim's highlight on closing. User strings are only ever set with
 * textContent or form values.
 */
import { api, errorText } from './api.js';
import { refresh } from './fragment.js';
import { canPublish } from './page.js';
import { selectedSpan } from './selection.js';
import { addCitationRow, clearCitationRows, readCitations } from './sources.js';
import { describeStatus } from './workflow.js';

export { addCitationRow };

const byId = (id) => document.getElementById(id);
// Absent for readers, who get no panel; nothing here runs for them.
const panel = byId('claim-panel');
const form = byId('claim-form');

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

/** The form as typed: {verdict, label, summary, rationale_markdown, citations}. */
export function readForm() {
  const checked = form.querySelector('input[name="verdict"]:checked');
  return {
    verdict: checked ? checked.value : null,
    label: form.elements.label.value.trim(),
    summary: form.elements.summary.value.trim(),
    rationale_markdown: form.elements.rationale.value.trim(),
    citations: readCitations(),
  };
}

export function fillForm(values) {
  form.querySelectorAll('input[name="verdict"]').forEach((radio) => {
    radio.checked = radio.value === values.verdict;
  });
  form.elements.label.value = values.label || '';
  form.elements.summary.value = values.summary || '';
  form.elements.rationale.value = values.rationale_markdown || '';
  clearCitationRows();
  (values.citations || []).forEach(addCitationRow);
  // Set without input events: for the parts that follow the values (the preview).
  form.dispatchEvent(new Event('form-filled'));
}

export function setVerdict(verdict) {
  const radio = form.querySelector(`input[name="verdict"][value="${verdict}"]`);
  if (!radio) return;
  // A linked claim's verdict is its original's (its fieldset disabled):
  // a shortcut key must not tick it, or Save would be refused.
  if (radio.matches(':disabled')) {
    if (state.claim && state.claim.link) {
      say('The verdict comes from the linked fact-check: unlink the claim to change it.');
    }
    return;
  }
  radio.checked = true;
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

/**
 * Before leaving what the panel shows (closing it, opening another claim or
 * span), `proceed` goes through this guard, which draft.js sets to ask
 * first when there are unsaved changes.
 */
let leaveGuard = (proceed) => proceed();
export function setLeaveGuard(guard) { leaveGuard = guard; }

// Where focus goes back to when the panel closes on a span with no highlight yet.
let opener = null;

function rememberOpener() {
  const active = document.activeElement;
  if (active && active !== document.body && !panel.contains(active)) opener = active;
}

/** The claim's highlight (its first part, the one that takes focus), if shown. */
function highlightOf(claimId) {
  return document.querySelector(`#passages mark.claim[data-claim-id="${claimId}"][tabindex]`) ||
    document.querySelector(`#passages mark.claim[data-claim-id="${claimId}"]`);
}

/** Where the text being checked is on screen: its highlight, else the selection. */
function spanRect() {
  if (state.mode === 'edit') {
    const mark = highlightOf(state.claim.id);
    return mark ? mark.getBoundingClientRect() : null;
  }
  const selection = window.getSelection();
  return selection.rangeCount && !selection.isCollapsed
    ? selection.getRangeAt(0).getBoundingClientRect() : null;
}

/**
 * Scroll the text being checked into the part of the screen the panel
 * leaves free: above the bottom sheet on a narrow screen, anywhere on the
 * screen beside the side panel.
 */
function keepSpanInView() {
  const rect = spanRect();
  if (!rect || (!rect.width && !rect.height)) return;
  const sheet = panel.getBoundingClientRect();
  const bottomSheet = sheet.top > 0 && sheet.left <= 1;
  const visibleBottom = bottomSheet ? sheet.top : window.innerHeight;
  const margin = 8;
  if (rect.top >= margin && rect.bottom <= visibleBottom - margin) return;
  // Put it a third of the way down the free area.
  const target = Math.max(margin, (visibleBottom - rect.height) / 3);
  window.scrollBy({ top: rect.top - target, behavior: 'instant' });
}

function openPanel() {
  fail('');
  say('');
  byId('conflict').hidden = true;
  byId('history').hidden = true;
  showButtons();
  if (!panel.open) {
    rememberOpener();
    panel.show();
  }
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
  form.querySelector('input[name="verdict"]').focus({ preventScroll: true });
  keepSpanInView();
  panel.dispatchEvent(new Event('claim-opened'));
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

/** Open a claim by id (a highlight, a card); asks first when leaving unsaved typing. */
export function openExisting(claimId) {
  // Its own highlight clicked again while it is open: keep the typing.
  if (panel.open && state.mode === 'edit' && String(state.claim.id) === String(claimId)) {
    (form.querySelector('input[name="verdict"]:checked') ||
     form.querySelector('input[name="verdict"]')).focus({ preventScroll: true });
    return;
  }
  leaveGuard(() => { loadExisting(claimId); });
}

async function loadExisting(claimId) {
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
   form.querySelector('input[name="verdict"]')).focus({ preventScroll: true });
  keepSpanInView();
  panel.dispatchEvent(new Event('claim-opened'));
}

/** Open a new claim on the selected text; false when there is none to use. */
export function openFromSelection() {
  const span = selectedSpan();
  if (!span) return false;
  if (span.error) { byId('select-hint').textContent = span.error; return false; }
  leaveGuard(() => openNew(span));
  return true;
}

/** Close now (callers that ask first go through requestClose in draft.js). */
export function closePanel() {
  if (!panel.open) return;
  const shown = state.mode === 'edit' ? state.claim : null;
  panel.close();
  const passage = state.span &&
    document.querySelector(`#passages .passage[data-passage-id="${state.span.passageId}"]`);
  const target = (shown && highlightOf(shown.id)) || (opener && opener.isConnected && opener) || passage;
  if (!target) return;
  // A passage takes focus for this only (it is not in the Tab order).
  if (target === passage && !passage.hasAttribute('tabindex')) passage.tabIndex = -1;
  target.focus({ preventScroll: true });
}

/** Close through the leave guard (asks first when there are unsaved changes). */
export function requestClose() {
  if (panel.open) leaveGuard(closePanel);
}
