/*
 * A published claim under revision: readers keep the published version
 * until an editor approves the desk's working copy, so the panel shows both
 * side by side ("Readers see" and "Your revision") and what differs, field
 * by field, the rationale word by word (<del>/<ins>). Built with DOM nodes
 * and textContent only: every value is a user's.
 */
import { diffNodes, rationaleText } from './diff.js';
import { state } from './panel.js';
import { isRevision } from './workflow.js';

const byId = (id) => document.getElementById(id);

function cell(tag, content) {
  const element = document.createElement(tag);
  if (content instanceof Node) element.append(content); else element.textContent = content ?? '';
  return element;
}

/** A row: the field's name, what readers see, and the revision with its changes marked. */
function row(name, published, revision, changed) {
  const tr = document.createElement('tr');
  tr.dataset.field = name;
  const th = cell('th', name);
  th.scope = 'row';
  tr.append(th, cell('td', published), cell('td', revision));
  if (changed) tr.className = 'changed';
  return tr;
}

/** "old → new" as <del>old</del> <ins>new</ins>, or the value when unchanged. */
function replaced(before, after) {
  if ((before || '') === (after || '')) return after || '—';
  const fragment = document.createDocumentFragment();
  if (before) fragment.append(cell('del', before), ' ');
  fragment.append(after ? cell('ins', after) : cell('span', '(none)'));
  return fragment;
}

const citationText = (citation) =>
  citation.title ? `${citation.title} (${citation.url})` : citation.url;
const CITATION_FIELDS = ['title', 'publisher', 'excerpt', 'archive_url', 'stance'];

function citationList(items) {
  const list = document.createElement('ul');
  list.className = 'revision-sources';
  list.append(...items);
  return list;
}

/** Readers' sources, and the revision's with each added, removed or edited one marked. */
function sourcesRow(published, revision) {
  const byUrl = new Map(published.map((citation) => [citation.url, citation]));
  const seen = new Set();
  let changed = false;
  const items = revision.map((citation) => {
    const before = byUrl.get(citation.url);
    seen.add(citation.url);
    const item = document.createElement('li');
    if (!before) {
      changed = true;
      item.append(cell('ins', citationText(citation)));
    } else {
      item.append(citationText(citation));
      const edited = CITATION_FIELDS.filter((name) => (before[name] || '') !== (citation[name] || ''));
      if (edited.length) {
        changed = true;
        item.append(' ', cell('ins', `(edited: ${edited.join(', ')})`));
      }
    }
    return item;
  });
  published.filter((citation) => !seen.has(citation.url)).forEach((citation) => {
    changed = true;
    const item = document.createElement('li');
    item.append(cell('del', citationText(citation)));
    items.push(item);
  });
  const readers = published.map((citation) => cell('li', citationText(citation)));
  return row('sources', published.length ? citationList(readers) : '(none)',
             items.length ? citationList(items) : '(none)', changed);
}

function quoteText(claimOrPublication) {
  return claimOrPublication.anchor_state === 'orphaned'
    ? `${claimOrPublication.exact} (not found in the article's text now)`
    : claimOrPublication.exact;
}

/** Show or hide the comparison for the claim the panel now holds. */
export function showRevision() {
  const section = byId('revision');
  const rows = byId('revision-rows');
  const claim = state.claim;
  if (state.mode !== 'edit' || !isRevision(claim)) {
    section.hidden = true;
    rows.replaceChildren();
    return;
  }
  const published = claim.publication;
  byId('revision-published-at').textContent =
    published.published_at ? ` (approved ${published.published_at.slice(0, 10)})` : '';
  const readersText = rationaleText(published.rationale);
  const revisionText = rationaleText(claim.rationale);
  const list = [
    row('verdict', published.verdict, replaced(published.verdict, claim.verdict),
        published.verdict !== claim.verdict),
    row('label', published.label || '—', replaced(published.label, claim.label),
        (published.label || '') !== (claim.label || '')),
    row('rationale', readersText || '—', diffNodes(readersText, revisionText),
        readersText !== revisionText),
    sourcesRow(published.citations || [], claim.citations || []),
  ];
  const quoteBefore = quoteText(published);
  const quoteAfter = quoteText(claim);
  if (quoteBefore !== quoteAfter) {
    list.push(row('quote', quoteBefore, replaced(quoteBefore, quoteAfter), true));
  }
  rows.replaceChildren(...list);
  section.hidden = false;
}
