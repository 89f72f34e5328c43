/*
 * Nothing typed in the claim panel is lost: every change is kept as a draft
 * in this browser (one per claim, or per new span), offered back when the
 * claim or span is opened again ("Restore your unsaved changes from …?"),
 * and removed once saved. Closing the panel, or opening another claim,
 * with unsaved changes asks first, in the panel; leaving the page asks
 * through the browser.
 */
import { draftStore, guardUnload, whenSaved } from '../drafts.js';
import { closePanel, fillForm, panelOpen, readForm, say, setLeaveGuard, state } from './panel.js';
import { unsavedChanges } from './save.js';

const byId = (id) => document.getElementById(id);
const articleId = byId('annotator').dataset.articleId;

// A draft offered and not yet restored or discarded: typing meanwhile does
// not overwrite it.
let offered = null;
// What to do once the close question is answered "leave".
let leave = null;

function currentStore() {
  if (state.mode === 'edit') return draftStore(`article-${articleId}.claim-${state.claim.id}`);
  if (state.mode === 'new') {
    const { passageId, start, end } = state.span;
    return draftStore(`article-${articleId}.new-${passageId}-${start}-${end}`);
  }
  return null;
}

/** Keep the form as typed (or drop the draft when it matches what is saved). */
function recordDraft() {
  const store = currentStore();
  if (!store || offered) return;
  if (unsavedChanges()) {
    store.write({ values: readForm(), version: state.claim ? state.claim.version : null });
  } else {
    store.clear();
  }
}

function hideOffer() {
  offered = null;
  byId('draft-offer').hidden = true;
}

/** The draft of what the panel shows is no longer wanted (saved, or thrown away). */
export function discardDraft() {
  const store = currentStore();
  if (store) store.clear();
  hideOffer();
}

function offerDraft() {
  hideOffer();
  hideCloseConfirm();
  const store = currentStore();
  const draft = store && store.read();
  if (!draft || !draft.values) return;
  let text = `Restore your unsaved changes from ${whenSaved(draft.savedAt)}?`;
  if (state.mode === 'edit' && draft.version && draft.version !== state.claim.version) {
    text += ` They were made on version ${draft.version}; the claim is now at version ` +
      `${state.claim.version}, so check them before saving.`;
  }
  byId('draft-offer-text').textContent = text;
  byId('draft-offer').hidden = false;
  offered = draft;
}

function restoreDraft() {
  const draft = offered;
  hideOffer();
  fillForm(draft.values);
  recordDraft();
  say('Restored your unsaved changes; they are not saved yet.');
  (byId('claim-form').querySelector('input[name="verdict"]:checked') ||
   byId('claim-form').querySelector('input[name="verdict"]')).focus();
}

function hideCloseConfirm() {
  leave = null;
  byId('close-confirm').hidden = true;
}

/** The leave guard: ask first when there are unsaved changes, else go on. */
function askBeforeLeaving(proceed) {
  if (!panelOpen() || !unsavedChanges()) {
    hideCloseConfirm();
    proceed();
    return;
  }
  recordDraft();
  leave = proceed;
  byId('close-confirm').hidden = false;
  byId('close-keep-editing').focus();
}

function answer(choice) {
  const proceed = leave;
  hideCloseConfirm();
  if (choice === 'stay') {
    byId('claim-form').querySelector('input, textarea, select, button').focus();
    return;
  }
  if (choice === 'discard') {
    discardDraft();
  } else {
    // The draft stays, even one offered and not restored (restoring wins over new typing).
    recordDraft();
  }
  if (proceed) proceed();
}

/** Esc in the panel: answer "keep editing" to an open question, else ask to close. */
export function escape() {
  if (!byId('close-confirm').hidden) answer('stay');
  else askBeforeLeaving(closePanel);
}

export function initDrafts() {
  const panel = byId('claim-panel');
  const form = byId('claim-form');
  form.addEventListener('input', recordDraft);
  form.addEventListener('change', recordDraft);
  panel.addEventListener('claim-opened', offerDraft);
  byId('draft-restore').addEventListener('click', restoreDraft);
  byId('draft-discard').addEventListener('click', () => {
    discardDraft();
    recordDraft();  // what was typed meanwhile becomes the draft
    say('Discarded the unsaved changes.');
    form.querySelector('input[name="verdict"]').focus();
  });
  byId('close-keep-editing').addEventListener('click', () => answer('stay'));
  byId('close-keep-draft').addEventListener('click', () => answer('keep'));
  byId('close-discard').addEventListener('click', () => answer('discard'));
  setLeaveGuard(askBeforeLeaving);
  guardUnload(() => panelOpen() && unsavedChanges());
}
