/*
 * Editors' actions on a saved claim: publish, back to draft, delete. Each
 * names the version it was shown (If-Match), so a stale click gets the
 * conflict view instead of overwriting someone's edit.
 */
import { api, errorText } from './api.js';
import { showConflict } from './conflict.js';
import { refresh } from './fragment.js';
import { closePanel, fail, readForm, say, showClaim, state } from './panel.js';

/** True when the result was a refusal, shown to the user. */
function refused(result) {
  if (result.status === 412) { showConflict(result.data.current, result.etag, readForm()); return true; }
  if (!result.ok) { fail(errorText(result)); return true; }
  return false;
}

/** action: 'publish' or 'unpublish'. */
export async function setStatus(action) {
  const result = await api('POST', `/api/v1/claims/${state.claim.id}/${action}`, undefined,
                           { 'If-Match': state.etag });
  if (refused(result)) return;
  showClaim(result.data, result.etag);
  say(action === 'publish' ? 'Published.' : 'Back to draft.');
  await refresh();
}

/** A second, explicit button rather than a browser confirm() dialog. */
export function askToDelete() {
  const confirm = document.getElementById('confirm-delete');
  confirm.hidden = false;
  confirm.focus();
}

export async function deleteClaim() {
  const result = await api('DELETE', `/api/v1/claims/${state.claim.id}`, undefined,
                           { 'If-Match': state.etag });
  if (refused(result)) return;
  closePanel();
  await refresh();
}
