/*
 * A claim's history in the panel: who did what when, and a short line of
 * what changed ("field: before → after", the source added or removed; the
 * rationale as a word-by-word difference of what the desk wrote, its
 * Markdown, or the text of a rationale written as HTML, never its tags).
 * Entries hold only what changed; older entries holding whole snapshots
 * read the same. The history is paged: "Show more changes" fetches the
 * next page. Entries are built with textContent and DOM nodes only.
 */
import { api, errorText } from './api.js';
import { diffNodes, rationaleText } from './diff.js';
import { fail, state } from './panel.js';
import { statusWord } from './workflow.js';

// The claim fields an entry may show, under the names people read (the
// rationale is drawn apart, as a difference).
const FIELDS = { verdict: 'verdict', label: 'label', status: 'status',
                 anchor_state: 'anchor', exact: 'quote' };
const CITATION_FIELDS = ['url', 'title', 'publisher', 'excerpt', 'archive_url', 'stance',
                         'accessed_date'];
const PAGE_SIZE = 50;
// How actions read in the list (the rest are their own words: create, update, delete).
const ACTION_WORDS = {
  add_citation: 'added a source',
  update_citation: 'edited a source',
  remove_citation: 'removed a source',
  comment: 'commented',
  submit: 'submitted it for review',
  withdraw: 'withdrew it from review',
  request_changes: 'requested changes',
  approve: 'approved and published it',
  retract: 'retracted it',
  reattach: 're-attached it to new text',
  orphan: 'lost its text in a re-import (orphaned)',
  reanchor: 'found its text again after a re-import',
  orphan_published: "lost readers' copy's text in a re-import (orphaned)",
  reanchor_published: "found readers' copy's text again after a re-import",
  publish: 'published it',
  unpublish: 'unpublished it',
};

function shown(name, value) {
  if (value === null || value === undefined || value === '') return '—';
  return name === 'status' ? statusWord(value) : String(value);
}

function fieldChange(name, before, after, label = name) {
  return `${label}: ${shown(name, before[name])} → ${shown(name, after[name])}`;
}

/** An entry holding the whole claim (older entries did), not only what changed. */
const isSnapshot = (side) => side && 'article_id' in side;

/** Sources on the claim: a count in new entries, a list in old snapshots. */
function sourceCount(side) {
  if (side.citation_count !== undefined) return side.citation_count;
  return isSnapshot(side) && Array.isArray(side.citations) ? side.citations.length : undefined;
}

function citationEdit(before, after) {
  const edited = CITATION_FIELDS.filter((name) => name in after || name in before);
  return `source ${after.id}: ${edited.map((name) => fieldChange(name, before, after)).join(', ')}`;
}

/** One-source entries (add/edit/remove a source): key "citation". */
function describeCitation(entry) {
  const before = entry.before && entry.before.citation;
  const after = entry.after && entry.after.citation;
  if (before && after) return citationEdit(before, after);
  const citation = after || before;
  return citation ? `${after ? 'added' : 'removed'} ${citation.url}` : '';
}

/**
 * A Save's sources (key "citations", lists): before holds those edited (the
 * fields as they were) and removed, after those edited (as they are) and added.
 */
function describeCitations(before, after) {
  const old = Array.isArray(before.citations) ? before.citations : [];
  const now = Array.isArray(after.citations) ? after.citations : [];
  const parts = [];
  now.forEach((citation) => {
    const was = old.find((c) => c.id === citation.id);
    parts.push(was ? citationEdit(was, citation) : `added ${citation.url}`);
  });
  old.filter((citation) => !now.some((c) => c.id === citation.id))
    .forEach((citation) => parts.push(`removed ${citation.url}`));
  return parts;
}

/** Sources that moved among themselves in a Save (key "citation_order": id and URL each). */
function describeOrder(after) {
  if (!Array.isArray(after.citation_order)) return null;
  return `sources reordered, now: ${after.citation_order.map((c) => c.url).join(', ')}`;
}

/** What the workflow recorded with its action: a note, a reason, a correction. */
function describeRecorded(after) {
  const parts = [];
  if (after.note) parts.push(`note: ${after.note}`);
  if (after.reason) parts.push(`reason: ${after.reason}`);
  const { correction } = after;
  if (correction) {
    let text = `correction: ${correction.note}`;
    if (correction.previous_verdict !== correction.verdict) {
      text += ` (verdict ${correction.previous_verdict} → ${correction.verdict})`;
    }
    parts.push(text);
  }
  if (after.minor_edit) parts.push('minor edit: the rationale reworded, no correction');
  return parts;
}

function describeChange(entry) {
  // A comment says what it says; the discussion shows it whole.
  if (entry.action === 'comment') return entry.after ? entry.after.body : '';
  // Creations and deletions have one side only: nothing to compare.
  if (!entry.before || !entry.after) return '';
  const { before, after } = entry;
  const parts = Object.entries(FIELDS)
    .filter(([name]) => (name in before || name in after) && before[name] !== after[name])
    .map(([name, label]) => fieldChange(name, before, after, label));
  const [countBefore, countAfter] = [sourceCount(before), sourceCount(after)];
  if (countBefore !== countAfter) {
    parts.push(`sources: ${countBefore ?? 0} → ${countAfter ?? 0}`);
  }
  if (isSnapshot(before) || isSnapshot(after)) {
    if (countBefore === countAfter && Array.isArray(before.citations)
        && JSON.stringify(before.citations) !== JSON.stringify(after.citations)) {
      parts.push('sources edited');
    }
  } else {
    parts.push(...describeCitations(before, after));
  }
  const order = describeOrder(after);
  if (order) parts.push(order);
  const citation = describeCitation(entry);
  if (citation) parts.push(citation);
  parts.push(...describeRecorded(after));
  return parts.join('; ');
}

/**
 * The rationale as written on one side of an entry: its Markdown source, or
 * the words of its HTML when it has none (written before Markdown); undefined
 * when the entry does not hold it.
 */
function writtenRationale(side) {
  if (typeof side.rationale_markdown === 'string') return side.rationale_markdown;
  return 'rationale' in side ? rationaleText(side.rationale) : undefined;
}

/** A "rationale:" line with the words removed and added, or null when unchanged. */
function rationaleDiff(entry) {
  if (entry.action === 'comment' || !entry.before || !entry.after) return null;
  const was = writtenRationale(entry.before);
  const now = writtenRationale(entry.after);
  if (was === undefined && now === undefined) return null;
  if ((was || '') === (now || '')) return null;
  const line = document.createElement('div');
  line.className = 'history-detail history-diff';
  line.append('rationale: ', diffNodes(was || '', now || ''));
  return line;
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
  const rationale = rationaleDiff(entry);
  if (rationale) item.appendChild(rationale);
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
