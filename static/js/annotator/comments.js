/*
 * A claim's internal discussion in the panel: who said what when, oldest
 * first, and a box to add a comment. The desk only: readers get no panel,
 * and the API refuses them anyway. Comments are built with textContent
 * only (a comment is plain text, line breaks kept by CSS).
 */
import { api, errorText } from './api.js';
import { fieldLabel } from './fieldlabels.js';
import { fail, say, state } from './panel.js';

const byId = (id) => document.getElementById(id);
const PAGE_SIZE = 500;

function commentItem(comment) {
  const item = document.createElement('li');
  const who = document.createElement('strong');
  who.textContent = comment.author;
  const time = document.createElement('time');
  time.dateTime = comment.created_at;
  time.textContent = ` ${comment.created_at.slice(0, 19).replace('T', ' ')} UTC`;
  const body = document.createElement('div');
  body.className = 'comment-body';
  body.textContent = comment.body;
  item.append(who, time, body);
  return item;
}

/** Every comment on the shown claim, page after page (a claim holds at most 1,000). */
export async function loadComments() {
  const claimId = state.claim.id;
  const items = [];
  let after;
  do {
    const query = new URLSearchParams({ limit: PAGE_SIZE });
    if (after !== undefined) query.set('after', after);
    const result = await api('GET', `/api/v1/claims/${claimId}/comments?${query}`);
    if (!result.ok) { fail(errorText(result)); return; }
    // Another claim was opened meanwhile: its own load fills the list.
    if (!state.claim || state.claim.id !== claimId) return;
    items.push(...result.data.comments.map(commentItem));
    after = result.data.next ?? undefined;
  } while (after !== undefined);
  byId('comment-list').replaceChildren(...items);
}

/** Show the discussion for the claim the panel now holds (hidden for a new one). */
export function showDiscussion() {
  const section = byId('discussion');
  const existing = state.mode === 'edit';
  section.hidden = !existing;
  if (!existing) return;
  // Typing survives a reload of the same claim (after a save), not a switch to another.
  if (section.dataset.claimId !== String(state.claim.id)) {
    byId('comment-list').replaceChildren();
    byId('comment-body').value = '';
    section.dataset.claimId = state.claim.id;
  }
  loadComments();
}

export async function addComment() {
  const input = byId('comment-body');
  const body = input.value.trim();
  if (!body) { fail('Comment: write something first.'); input.focus(); return; }
  fail('');
  const button = byId('add-comment');
  button.disabled = true;
  try {
    const result = await api('POST', `/api/v1/claims/${state.claim.id}/comments`, { body });
    if (!result.ok) { fail(errorText(result, fieldLabel)); return; }
    input.value = '';
    say('Comment added.');
    await loadComments();
  } finally {
    button.disabled = false;
  }
}

export function initComments() {
  byId('add-comment').addEventListener('click', addComment);
  // Ctrl+Enter in the comment box posts the comment, not the claim form
  // (keys.js leaves events already handled alone).
  byId('comment-body').addEventListener('keydown', (event) => {
    if (event.ctrlKey && event.key === 'Enter') {
      event.preventDefault();
      addComment();
    }
  });
}
