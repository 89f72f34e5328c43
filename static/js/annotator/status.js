/*
 * The workflow in the panel: the actions the claim's state allows and the
 * visitor's role may take (submit, withdraw, request changes, approve,
 * retract), and delete for a claim readers never saw. An action that needs
 * words (what to change, why it is retracted, the correction readers are
 * told) asks for them in the panel, never in a browser prompt. Every
 * request names the version the panel shows (If-Match): a stale click gets
 * the conflict view, an action the claim's state no longer allows (409)
 * shows the claim as it now is with the server's message.
 */
import { api, errorText } from './api.js';
import { showConflict } from './conflict.js';
import { discardDraft } from './draft.js';
import { fieldLabel } from './fieldlabels.js';
import { refresh } from './fragment.js';
import { twoPersonRule, userId } from './page.js';
import { closePanel, fail, readForm, say, showClaim, state } from './panel.js';
import { unsavedChanges } from './save.js';
import { livePublication, offeredActions, transition } from './workflow.js';

const byId = (id) => document.getElementById(id);

const DONE = {
  submit: 'Submitted for review.',
  withdraw: 'Withdrawn from review: back to draft.',
  request_changes: 'Changes requested: the claim is back with its author.',
  approve: 'Approved and published: readers see this version now.',
  retract: 'Retracted: readers are shown the reason.',
};
// The words an action needs, named as the workflow names them.
const TEXT_LABELS = {
  note: 'What should change (the author reads it in the panel and the discussion)',
  reason: 'Why it is retracted (readers are shown this reason)',
};
const TWO_PERSON = 'You made the last change to this claim; another editor must approve it '
  + '(two-person rule).';

let pending = null;  // the action whose form is open

const approvalNeedsNote = (action) => action === 'approve' && livePublication(state.claim);
const twoPersonBlocked = (claim) =>
  twoPersonRule && userId !== null && claim.last_edited_by === userId;

function hideActionForm() {
  pending = null;
  byId('action-form').hidden = true;
  byId('action-note').value = '';
  byId('correction-note').value = '';
  byId('minor-edit').checked = false;
}

function actionButton(action, claim) {
  const button = document.createElement('button');
  button.type = 'button';
  button.id = `action-${action}`;
  button.dataset.action = action;
  button.textContent = transition(action).label;
  if (action === 'retract') button.className = 'danger';
  if (action === 'approve' && twoPersonBlocked(claim)) {
    button.disabled = true;
    button.setAttribute('aria-describedby', 'workflow-hint');
    byId('workflow-hint').textContent = TWO_PERSON;
  }
  button.addEventListener('click', () => startAction(action));
  return button;
}

/** "Changes requested by ed (date): note", from the claim's change_request. */
function showReviewNote(claim) {
  const note = byId('review-note');
  note.hidden = true;
  note.replaceChildren();
  const request = claim.status === 'changes_requested' && claim.change_request;
  if (!request) return;
  const who = document.createElement('strong');
  who.textContent = `Changes requested by ${request.by}`;
  const when = document.createElement('time');
  when.dateTime = request.at;
  when.textContent = ` (${request.at.slice(0, 16).replace('T', ' ')} UTC): `;
  const text = document.createElement('span');
  text.className = 'review-note-text';
  text.textContent = request.note || '';
  note.append(who, when, text);
  note.hidden = false;
}

/** Draw the workflow's buttons for the claim the panel now holds. */
export function showActions() {
  hideActionForm();
  byId('workflow-hint').textContent = '';
  const box = byId('workflow-actions');
  if (state.mode !== 'edit') {
    box.replaceChildren();
    byId('review-note').hidden = true;
    return;
  }
  const claim = state.claim;
  box.replaceChildren(...offeredActions(claim).map((action) => actionButton(action, claim)));
  showReviewNote(claim);
}

function startAction(action) {
  fail('');
  if (unsavedChanges()) {
    fail('The form has unsaved changes: save them first (or close the panel to drop them).');
    return;
  }
  const step = transition(action);
  if (!step.text && !approvalNeedsNote(action)) { takeAction(action, {}); return; }
  pending = action;
  byId('action-form-title').textContent = step.label;
  byId('action-note-field').hidden = !step.text;
  if (step.text) byId('action-note-label').textContent = TEXT_LABELS[step.text];
  byId('correction-fields').hidden = !approvalNeedsNote(action);
  byId('action-confirm').textContent = step.label;
  byId('action-confirm').className = action === 'retract' ? 'danger' : 'primary';
  byId('action-form').hidden = false;
  (step.text ? byId('action-note') : byId('correction-note')).focus();
}

function confirmAction() {
  const action = pending;
  if (!action) return;
  const body = {};
  if (transition(action).text) body.note = byId('action-note').value.trim();
  if (approvalNeedsNote(action)) {
    body.correction_note = byId('correction-note').value.trim();
    if (byId('minor-edit').checked) body.minor_edit = true;
  }
  takeAction(action, body);
}

async function takeAction(action, extra) {
  fail('');
  const buttons = document.querySelectorAll('#workflow-actions button, #action-confirm');
  buttons.forEach((button) => { button.dataset.wasDisabled = button.disabled; button.disabled = true; });
  let result;
  try {
    result = await api('POST', `/api/v1/claims/${state.claim.id}/transitions`,
                       { action, ...extra }, { 'If-Match': state.etag });
  } catch {
    fail('Could not reach the server; nothing was changed, try again.');
    return;
  } finally {
    buttons.forEach((button) => { button.disabled = button.dataset.wasDisabled === 'true'; });
  }
  // 403 (two-person rule, role) and 422 (a missing note): what was typed stays.
  if (await refusalShown(result)) return;
  showClaim(result.data, result.etag);
  say(DONE[action]);
  await refresh();
}

/**
 * Show a refused request and say so: 412 opens the conflict view, 409 (the
 * claim moved on: someone else acted first) shows the claim as it is now,
 * anything else its message. True when the request was refused.
 */
async function refusalShown(result) {
  if (result.status === 412) {
    showConflict(result.data.current, result.etag, readForm());
    return true;
  }
  if (result.status === 409 && result.data && result.data.current) {
    showClaim(result.data.current, result.etag);
    fail(errorText(result, fieldLabel));
    await refresh();
    return true;
  }
  if (!result.ok) { fail(errorText(result, fieldLabel)); return true; }
  return false;
}

/** A second, explicit button rather than a browser confirm() dialog. */
export function askToDelete() {
  const confirm = byId('confirm-delete');
  confirm.hidden = false;
  confirm.focus();
}

export async function deleteClaim() {
  const result = await api('DELETE', `/api/v1/claims/${state.claim.id}`, undefined,
                           { 'If-Match': state.etag });
  if (await refusalShown(result)) return;
  discardDraft();
  closePanel();
  await refresh();
}

export function initActions() {
  byId('action-confirm').addEventListener('click', confirmAction);
  byId('action-cancel').addEventListener('click', () => { hideActionForm(); fail(''); });
  // Ctrl+Enter in a note box confirms the action, not a save of the claim
  // (keys.js leaves events already handled alone).
  ['action-note', 'correction-note'].forEach((id) => {
    byId(id).addEventListener('keydown', (event) => {
      if (event.ctrlKey && event.key === 'Enter') {
        event.preventDefault();
        confirmAction();
      }
    });
  });
}
