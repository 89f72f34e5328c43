/*
 * The article page for fact-checkers and editors: select text to record a
 * claim, click a highlight to edit it or move it through review, keyboard
 * shortcuts, history, re-attaching orphaned claims, assigning the claim or
 * the article, and stale-edit handling (412) that never loses typing. This
 * module only wires the page's controls to the modules that do the work.
 */
import { initAssignment, showAssignment } from './assign.js';
import { initComments, showDiscussion } from './comments.js';
import { loadSaved, rebaseForm } from './conflict.js';
import { initFilters } from './filters.js';
import { showHistory } from './history.js';
import { initKeys } from './keys.js';
import { canEdit } from './page.js';
import { addCitationRow, closePanel, inPanel, openExisting, openFromSelection, state } from './panel.js';
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
  byId('panel-close').addEventListener('click', closePanel);
  byId('add-citation').addEventListener('click', () => {
    addCitationRow(null).querySelector('input').focus();
  });
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
}

function wireArticle() {
  // Selecting with the mouse opens the panel when the button is released
  // (after the browser has settled the selection); while an orphaned claim
  // is being re-attached, the selection is its new text instead.
  byId('article-body').addEventListener('mouseup', (event) => {
    if (event.target.closest('a.claim') && window.getSelection().isCollapsed) return;
    window.setTimeout(() => (reattaching() ? pickSelection() : openFromSelection()), 0);
  });
  // Clicks on highlights, "Open claim" and "Re-attach" buttons, delegated so
  // they keep working after refresh() swaps the article and the list.
  document.addEventListener('click', (event) => {
    const reattach = event.target.closest('button.reattach-claim');
    if (reattach) {
      event.preventDefault();
      startReattach(reattach.dataset.claimId);
      return;
    }
    const target = event.target.closest('a.claim[data-claim-id], button.open-claim');
    if (!target || inPanel(target)) return;
    if (target.matches('a.claim') && !window.getSelection().isCollapsed) return;
    event.preventDefault();
    // Picking a new span for a claim: a click on a highlight is part of selecting.
    if (reattaching() && target.matches('a.claim')) return;
    openExisting(target.dataset.claimId);
  });
}

if (byId('annotator')) {
  initFilters();
  // Readers get the filters only; the server renders no panel for them.
  if (canEdit) {
    wirePanel();
    wireArticle();
    initReattach();
    initKeys();
  }
  // Module scripts run after the page is shown: a key pressed or a click
  // made before this line finds no listener (what tests wait for).
  byId('annotator').dataset.ready = 'yes';
}
