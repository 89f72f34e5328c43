/*
 * 412 Precondition Failed: someone saved the claim since it was loaded. The
 * panel shows theirs beside yours and offers to load the saved version or
 * to re-apply your changes to it; the form keeps what the user typed until
 * they choose, so a stale edit never loses typing.
 */
import { whenSaved } from '../drafts.js';
import { nameOf } from './assign.js';
import { sameCitation } from './citations.js';
import { discardDraft } from './draft.js';
import { fillForm, readForm, say, showClaim, state } from './panel.js';
import { statusWord } from './workflow.js';

const byId = (id) => document.getElementById(id);

// On a narrow screen the table is a list of fields (app.css), each value
// under the name of its column (data-label).
const COLUMNS = ['Field', 'Now saved', 'Yours'];

function addRow(rows, name, theirs, yours) {
  const tr = document.createElement('tr');
  [name, theirs, yours].forEach((value, i) => {
    const cell = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) cell.scope = 'row';
    else cell.dataset.label = COLUMNS[i];
    cell.textContent = value;
    tr.appendChild(cell);
  });
  if (theirs !== yours) tr.className = 'changed';
  rows.appendChild(tr);
}

/** Show the claim as saved now (current, at currentEtag) against the form's values. */
export function showConflict(current, currentEtag, mine) {
  byId('conflict-who').textContent =
    `${nameOf(current.updated_by)} saved version ${current.version} of this claim ` +
    `${whenSaved(current.updated_at)}, after you opened it.`;
  const rows = byId('conflict-rows');
  rows.replaceChildren();
  const urls = (citations) => citations.map((c) => c.url).join('\n');
  addRow(rows, 'verdict', current.verdict, mine.verdict || '');
  addRow(rows, 'label', current.label, mine.label);
  addRow(rows, 'rationale', current.rationale_markdown, mine.rationale_markdown);
  addRow(rows, 'sources', urls(current.citations), urls(mine.citations));
  addRow(rows, 'status', statusWord(current.status), statusWord(state.claim.status));
  byId('conflict').hidden = false;
  state.pending = { current, etag: currentEtag };
  byId('conflict-reapply').focus();
}

export const conflictShown = () => !byId('conflict').hidden;

/** "Load saved version": drop the typing, show theirs. */
export function loadSaved() {
  discardDraft();
  showClaim(state.pending.current, state.pending.etag);
  say('Loaded the saved version.');
}

/**
 * "Re-apply my changes": the form rebased on the claim as it is now, ready
 * for updateClaim(). Only what the user changed since loading (state.claim)
 * is theirs to re-apply: fields and sources they left alone take the other
 * person's edits rather than reverting them.
 */
export function rebaseForm() {
  const mine = readForm();
  const base = state.claim;
  const { current } = state.pending;
  const byCitationId = (list, id) => list.find((c) => c.id === id);
  ['verdict', 'label', 'rationale_markdown'].forEach((name) => {
    if ((mine[name] || '') === (base[name] || '')) mine[name] = current[name];
  });
  mine.citations = mine.citations.filter((citation) => {
    if (!citation.id) return true;
    const loaded = byCitationId(base.citations, citation.id);
    const now = byCitationId(current.citations, citation.id);
    const untouched = loaded && sameCitation(loaded, citation);
    if (!now) {
      if (untouched) return false;  // removed meanwhile, not edited here
      citation.id = null;  // removed meanwhile but edited here: add it again
    } else if (untouched) {
      Object.assign(citation, now);
    }
    return true;
  });
  // Sources they added go after the saved ones and before those added here,
  // in id order as the store lists them, so none is re-created to reorder.
  const firstNew = mine.citations.findIndex((citation) => !citation.id);
  const theirs = current.citations.filter((citation) => !byCitationId(base.citations, citation.id));
  mine.citations.splice(firstNew < 0 ? mine.citations.length : firstNew, 0,
                        ...theirs.map((citation) => ({ ...citation })));
  state.claim = current;
  state.etag = state.pending.etag;
  byId('conflict').hidden = true;
  fillForm(mine);
  return mine;
}
