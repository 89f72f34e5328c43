/*
 * The article page for fact-checkers and editors: select text to record a
 * claim, click a highlight to edit it or move it through review, keyboard
 * shortcuts, history, re-attaching orphaned claims, assigning the claim or
 * the article, and stale-edit handling (412) that never loses typing. This
 * module only wires the page's controls to the modules that do the work.
 */
import { initAliases } from './aliases.js';
import { initAssignment, showAssignment } from './assign.js';
import { claimsAt, closeChooser, showChooser } from './chooser.js';
import { initComments, showDiscussion } from './comments.js';
import { loadSaved, rebaseForm } from './conflict.js';
import { initDrafts } from './draft.js';
import { initFilters } from './filters.js';
import { showHistory } from './history.js';
import { initKeys } from './keys.js';
import { canEdit } from './page.js';
import { addCitationRow, inPanel, openExisting, openFromSelection, requestClose, state } from './panel.js';
import { initRationalePreview } from './rationale.js';
import { initReattach, pickSelection, reattaching, startReattach } from './reattach.js';
import { showRevision } from './revision.js';
import { save, updateClaim } from './save.js';
import { askToDelete, deleteClaim, initActions, showActions } from './status.js';

const byId = (id) => document.getElementById(id);

function wirePanel() {
  byId('claim-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  byId('panel-close').addEventListener('click', requestClose);
  byId('add-citation').addEventListener('click', () => {
    addCitationRow(null).querySelector('input').focus();
  });
  // Esc is keys.js's (it asks before dropping typing); never the browser's own close.
  byId('claim-panel').addEventListener('cancel', (event) => event.preventDefault());
  byId('conflict-reload').addEventListener('click', loadSaved);
  byId('conflict-reapply').addEventListener('click', () => updateClaim(rebaseForm()));
  byId('delete-claim').addEventListener('click', askToDelete);
  byId('confirm-delete').addEventListener('click', deleteClaim);
  byId('show-history').addEventListener('click', showHistory);
  byId('reattach-claim').addEventListener('click', () => startReattach(state.claim.id));
  const panel = byId('claim-panel');
  panel.addEventListener('panel-shown', showActions);
  panel.addEventListener('panel-shown', showRevision);
  panel.addEventListener('panel-shown', showDiscussion);
  panel.addEventListener('panel-shown', showAssignment);
  initActions();
  initComments();
  initAssignment();
  initDrafts();
  initRationalePreview();
}

function wireArticle() {
  // Selecting with the mouse opens the panel when the button is released
  // (after the browser has settled the selection); while an orphaned claim
  // is being re-attached, the selection is its new text instead.
  byId('article-body').addEventListener('mouseup', (event) => {
    if (event.target.closest('mark.claim') && window.getSelection().isCollapsed) return;
    window.setTimeout(() => (reattaching() ? pickSelection() : openFromSelection()), 0);
  });
  // "Open claim" and "Re-attach" buttons, delegated so they keep working
  // after refresh() swaps the article and the list.
  document.addEventListener('click', (event) => {
    const reattach = event.target.closest('button.reattach-claim');
    if (reattach) {
      event.preventDefault();
      startReattach(reattach.dataset.claimId);
      return;
    }
    const target = event.target.closest('button.open-claim');
    if (!target || inPanel(target)) return;
    event.preventDefault();
    openExisting(target.dataset.claimId);
  });
  // Picking a new span for a claim: a click on a highlight is part of selecting.
  wireHighlights((id) => { if (!reattaching()) openExisting(id); });
}

/**
 * Highlights (nested marks, one per claim: see chooser.js): a click opens
 * the claim there, or asks which one where several overlap; Enter or Space
 * on a focused highlight opens its own claim. A click that ends a drag is
 * selecting text, not opening anything.
 */
function wireHighlights(open) {
  document.addEventListener('click', (event) => {
    const mark = event.target.closest('#passages mark.claim[data-claim-id]');
    if (!mark || !window.getSelection().isCollapsed) return;
    event.preventDefault();
    const ids = claimsAt(mark);
    if (!ids.length) return;  // only claims the filters put aside: plain text
    if (ids.length > 1 && !reattaching()) showChooser(ids, event.pageX, event.pageY, open);
    else open(ids[0]);
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const mark = event.target.closest && event.target.closest('#passages mark.claim[data-claim-id]');
    if (!mark) return;
    event.preventDefault();
    closeChooser(false);
    open(mark.dataset.claimId);
  });
}

// Readers: a highlight leads to its card in the list.
function jumpToCard(id) {
  window.location.hash = `claim-${id}`;
}

if (byId('annotator')) {
  initFilters();
  // Readers get the filters and highlights that lead to the claim list;
  // the server renders no panel for them.
  if (canEdit) {
    wirePanel();
    wireArticle();
    initReattach();
    initKeys();
    initAliases();
  } else {
    wireHighlights(jumpToCard);
  }
  // Module scripts run after the page is shown: a key pressed or a click
  // made before this line finds no listener (what tests wait for).
  byId('annotator').dataset.ready = 'yes';
}
