/*
 * Re-attaching an orphaned claim (its text went away in a re-import): the
 * factchecker presses "Re-attach" on the claim, selects its new text in the
 * article, and confirms. That is one PUT of the new span (code points, as
 * the selection gives them) under the claim's version (If-Match); for a
 * published claim it is a revision, reviewed before readers see it.
 */
import { api, errorText } from './api.js';
import { refresh } from './fragment.js';
import { say, showClaim, closePanel } from './panel.js';
import { selectedSpan } from './selection.js';
import { livePublication } from './workflow.js';

const byId = (id) => document.getElementById(id);
// The claim being re-attached ({claim, etag}), and the span picked for it.
let target = null;
let span = null;

export const reattaching = () => target !== null;

function bar() { return byId('reattach-bar'); }

function showError(message) { byId('reattach-error').textContent = message || ''; }

function showSpan() {
  byId('reattach-new').textContent = span ? span.exact : '';
  byId('reattach-new-line').hidden = !span;
  byId('reattach-confirm').disabled = !span;
}

/** Start: show the bar with the claim's old quote; the next selection is its new text. */
export async function startReattach(claimId) {
  const result = await api('GET', `/api/v1/claims/${claimId}`);
  if (!result.ok) { byId('select-hint').textContent = errorText(result); await refresh(); return; }
  closePanel();
  target = { claim: result.data, etag: result.etag };
  span = null;
  byId('reattach-id').textContent = String(claimId);
  byId('reattach-old').textContent = result.data.exact;
  showError('');
  showSpan();
  bar().hidden = false;
  byId('reattach-cancel').focus();
}

export function cancelReattach() {
  target = null;
  span = null;
  bar().hidden = true;
}

/** The current selection as the claim's new text (mouse up, or the "c" key). */
export function pickSelection() {
  const picked = selectedSpan();
  if (!picked) return false;
  if (picked.error) { showError(picked.error); return true; }
  showError('');
  span = picked;
  showSpan();
  return true;
}

async function confirmReattach() {
  if (!target || !span) return;
  const { claim } = target;
  const body = { passage_id: span.passageId, start: span.start, end: span.end, exact: span.exact };
  const button = byId('reattach-confirm');
  button.disabled = true;
  let result;
  try {
    result = await api('PUT', `/api/v1/claims/${claim.id}/anchor`, body, { 'If-Match': target.etag });
  } catch {
    showError('Could not reach the server; nothing was changed, try again.');
    button.disabled = false;
    return;
  }
  if (result.status === 412 && result.data && result.data.current) {
    // Someone saved the claim meanwhile: placing it is still what was asked; confirm again.
    target = { claim: result.data.current, etag: result.etag };
    showError('Someone changed this claim since you started; press “Re-attach here” again to '
              + 'place it on the selected text.');
    button.disabled = false;
    return;
  }
  if (!result.ok) {
    showError(errorText(result));
    button.disabled = false;
    return;
  }
  cancelReattach();
  await refresh();
  showClaim(result.data, result.etag);
  say(livePublication(result.data)
    ? 'Re-attached as a revision: readers keep the published version until an editor approves it.'
    : 'Re-attached.');
}

export function initReattach() {
  if (!bar()) return;
  byId('reattach-confirm').addEventListener('click', confirmReattach);
  byId('reattach-cancel').addEventListener('click', cancelReattach);
}
