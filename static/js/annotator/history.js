/*
 * A claim's history in the panel: who did what when, and for edits a short
 * "field: before → after" line. Entries are built with textContent only.
 */
import { api, errorText } from './api.js';
import { fail, state } from './panel.js';

const FIELDS = ['verdict', 'label', 'rationale', 'status', 'anchor_state'];

function describeChange(entry) {
  // Creations and deletions have one side only: nothing to compare.
  if (!entry.before || !entry.after) return '';
  const { before, after } = entry;
  const parts = FIELDS
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] || '—'} → ${after[name] || '—'}`);
  const count = (c) => (c && c.citations ? c.citations.length : 0);
  if (count(before) !== count(after)) {
    parts.push(`sources: ${count(before)} → ${count(after)}`);
  } else if (JSON.stringify(before.citations) !== JSON.stringify(after.citations)) {
    parts.push('sources edited');
  }
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
  what.textContent = entry.action;
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

export async function showHistory() {
  const result = await api('GET', `/api/v1/claims/${state.claim.id}/history`);
  if (!result.ok) { fail(errorText(result)); return; }
  document.getElementById('history-entries').replaceChildren(...result.data.entries.map(entryItem));
  const section = document.getElementById('history');
  section.hidden = false;
  section.scrollIntoView({ block: 'nearest' });
}
