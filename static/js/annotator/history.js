/*
 * A claim's history in the panel: who did what when, and a short line of
 * what changed ("field: before → after", the source added or removed).
 * Entries hold only what changed; older entries holding whole snapshots
 * read the same. The history is paged: "Show more changes" fetches the
 * next page. Entries are built with textContent only.
 */
import { api, errorText } from './api.js';
import { fail, state } from './panel.js';

const FIELDS = ['verdict', 'label', 'rationale', 'status', 'anchor_state'];
const PAGE_SIZE = 50;
// How the actions that name no plain verb read in the list.
const ACTION_WORDS = {
  add_citation: 'added a source',
  update_citation: 'edited a source',
  remove_citation: 'removed a source',
  comment: 'commented',
};

/** Sources on the claim: a count in new entries, a list in old snapshots. */
function sourceCount(side) {
  if (side.citation_count !== undefined) return side.citation_count;
  return Array.isArray(side.citations) ? side.citations.length : undefined;
}

function fieldChange(name, before, after) {
  return `${name}: ${before[name] || '—'} → ${after[name] || '—'}`;
}

function describeCitation(entry) {
  const before = entry.before.citation;
  const after = entry.after.citation;
  if (before && after) {
    const edited = Object.keys(after).filter((name) => name !== 'id');
    return `source ${after.id}: ${edited.map((name) => fieldChange(name, before, after)).join(', ')}`;
  }
  const citation = after || before;
  return citation ? `${after ? 'added' : 'removed'} ${citation.url}` : '';
}

function describeChange(entry) {
  // A comment says what it says; the discussion shows it whole.
  if (entry.action === 'comment') return entry.after ? entry.after.body : '';
  // Creations and deletions have one side only: nothing to compare.
  if (!entry.before || !entry.after) return '';
  const { before, after } = entry;
  const parts = FIELDS
    .filter((name) => (name in before || name in after) && before[name] !== after[name])
    .map((name) => fieldChange(name, before, after));
  const [countBefore, countAfter] = [sourceCount(before), sourceCount(after)];
  if (countBefore !== countAfter) {
    parts.push(`sources: ${countBefore ?? 0} → ${countAfter ?? 0}`);
  } else if (Array.isArray(before.citations)
             && JSON.stringify(before.citations) !== JSON.stringify(after.citations)) {
    parts.push('sources edited');
  }
  const citation = describeCitation(entry);
  if (citation) parts.push(citation);
  return parts.join('; ');
}

function entryItem(entry) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.dateTime = entry.at;
  time.textContent = `${entry.at.slice(0, 19).replace('T', ' ')} UTC`;
  const who = document.createElement('strong');
  who.textContent = ` ${entry.actor} `;
  const what = document.createElement('span');
  what.textContent = ACTION_WORDS[entry.action] || entry.action;
  item.append(time, who, what);
  const detail = describeChange(entry);
  if (detail) {
    const small = document.createElement('div');
    small.className = 'history-detail';
    small.textContent = detail;
    item.appendChild(small);
  }
  return item;
}

/** The "Show more changes" button under the list, made once. */
function moreButton() {
  let button = document.getElementById('history-more');
  if (!button) {
    button = document.createElement('button');
    button.type = 'button';
    button.id = 'history-more';
    button.textContent = 'Show more changes';
    document.getElementById('history-entries').after(button);
  }
  return button;
}

async function loadPage(after) {
  const query = new URLSearchParams({ limit: PAGE_SIZE });
  if (after !== undefined) query.set('after', after);
  const result = await api('GET', `/api/v1/claims/${state.claim.id}/history?${query}`);
  if (!result.ok) { fail(errorText(result)); return false; }
  const list = document.getElementById('history-entries');
  const items = result.data.entries.map(entryItem);
  if (after === undefined) list.replaceChildren(...items); else list.append(...items);
  const button = moreButton();
  const { next } = result.data;
  button.hidden = next === null || next === undefined;
  button.onclick = () => loadPage(next);
  return true;
}

export async function showHistory() {
  if (!await loadPage()) return;
  const section = document.getElementById('history');
  section.hidden = false;
  section.scrollIntoView({ block: 'nearest' });
}
