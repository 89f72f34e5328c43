/*
 * Who works on what: the claim panel and the article page say to whom the
 * claim (or the whole article) is assigned, and offer what the visitor may
 * do about it. Editors and admins give it to anyone on the desk, or to
 * nobody; a factchecker takes what is unassigned and gives back their own.
 * The server checks again and its refusal is shown as it words it, with
 * who has the work now. Assigning changes no claim's version: the panel's
 * form, its typing and its If-Match stay as they are. Names come from the
 * page's data-people (rendered by the server) and are only ever set as text.
 */
import { api, errorText } from './api.js';
import { canPublish, userId, vocabulary } from './page.js';
import { fail, say, state } from './panel.js';

const byId = (id) => document.getElementById(id);
const annotator = byId('annotator');
const people = JSON.parse((annotator && annotator.dataset.people) || '[]');
const names = new Map(people.map((person) => [person.id, person.username]));
// data-people also names assignees who may no longer be assigned (a role
// taken away): named, never offered.
const assignable = people.filter((person) => vocabulary.roleAtLeast(person.role, 'factchecker'));

/** The assignee's username (never an id alone), or "nobody". */
export function nameOf(id) {
  if (id === null || id === undefined) return 'nobody';
  return names.get(id) || 'an account added since this page was loaded (reload to see who)';
}

function button(id, text, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.id = id;
  element.textContent = text;
  element.addEventListener('click', onClick);
  return element;
}

/**
 * Build the controls for one assignable thing into `root` (which holds the
 * template's .assignee-name); ids start with `where` ("claim", "article").
 * `place` knows the thing: target() (what the panel or page shows now),
 * url(target), current() (its assignee id), accept(target, id), shown(target),
 * reload(target) (its assignee id now, undefined if unknown), and done(),
 * refused(), clear() for messages. Returns draw(), which shows current().
 */
function assignmentControls(root, where, place) {
  const nameElement = root.querySelector('.assignee-name');
  const box = document.createElement('div');
  box.className = 'assignment-controls';
  let select; let unassign; let take; let giveBack;

  async function send(assigneeId) {
    place.clear();
    const target = place.target();
    const buttons = Array.from(box.querySelectorAll('button'));
    buttons.forEach((b) => { b.disabled = true; });
    let result;
    try {
      result = await api('PUT', place.url(target), { assignee_id: assigneeId });
    } catch {
      place.refused('Could not reach the server; nothing was changed, try again.');
      return;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
    if (result.ok) {
      const now = result.data.assignee_id;
      place.accept(target, now);
      if (!place.shown(target)) return;
      draw();
      place.done(now === null ? 'Unassigned: nobody is assigned now.'
                              : `Assigned to ${nameOf(now)}.`);
      return;
    }
    // Refused (403, 422): the server's words, then who has it now (someone
    // may have taken it since this was loaded).
    place.refused(errorText(result, () => 'Assignee'));
    const now = await place.reload(target);
    if (now === undefined) return;
    place.accept(target, now);
    if (place.shown(target)) draw();
  }

  if (canPublish) {
    const label = document.createElement('label');
    label.htmlFor = `${where}-assignee`;
    label.textContent = 'Assign to';
    select = document.createElement('select');
    select.id = `${where}-assignee`;
    // Option(text, value) sets text, never markup.
    select.append(new Option('choose someone…', ''),
                  ...assignable.map((person) => new Option(`${person.username} (${person.role})`,
                                                           String(person.id))));
    const assign = button(`${where}-assign`, 'Assign', () => {
      if (!select.value) { place.refused('Choose whom to assign it to.'); select.focus(); return; }
      send(Number(select.value));
    });
    unassign = button(`${where}-unassign`, 'Unassign', () => send(null));
    box.append(label, select, assign, unassign);
  } else {
    // A factchecker's own work only: handing it to others is the editor's call.
    take = button(`${where}-take`, 'Take it', () => send(userId));
    giveBack = button(`${where}-give-back`, 'Give back', () => send(null));
    box.append(take, giveBack);
  }
  root.append(box);

  function draw() {
    const id = place.current();
    nameElement.textContent = nameOf(id);
    if (select) {
      select.value = assignable.some((person) => person.id === id) ? String(id) : '';
      unassign.hidden = id === null;
    } else {
      take.hidden = id !== null;
      giveBack.hidden = id === null || id !== userId;
    }
  }
  return draw;
}

// -- the claim in the panel ----------------------------------------------------

let drawClaim = null;

const assigneeOf = (claim) => (claim.assignee_id === undefined ? null : claim.assignee_id);

const claimPlace = {
  target: () => state.claim,
  url: (claim) => `/api/v1/claims/${claim.id}/assignee`,
  current: () => assigneeOf(state.claim),
  // Only the assignee: the rest of the loaded claim (and the form) stays.
  accept: (claim, id) => { claim.assignee_id = id; },
  shown: (claim) => state.claim === claim,
  async reload(claim) {
    const result = await api('GET', `/api/v1/claims/${claim.id}`);
    return result.ok ? assigneeOf(result.data) : undefined;
  },
  done: say,
  refused: fail,
  clear() { fail(''); say(''); },
};

/** On panel-shown: the assignment of the claim the panel now holds (none for a new one). */
export function showAssignment() {
  const root = byId('claim-assignment');
  if (!root || !drawClaim) return;
  root.hidden = state.mode !== 'edit';
  if (!root.hidden) drawClaim();
}

// -- the whole article -----------------------------------------------------------

function articlePlace(section) {
  const error = document.createElement('p');
  error.id = 'article-assignment-error';
  error.className = 'error';
  error.setAttribute('role', 'alert');
  const status = document.createElement('p');
  status.id = 'article-assignment-status';
  status.className = 'panel-status';
  status.setAttribute('role', 'status');
  section.append(error, status);
  const articleId = annotator.dataset.articleId;
  return {
    target: () => articleId,
    url: (id) => `/api/v1/articles/${id}/assignee`,
    current: () => (section.dataset.assigneeId ? Number(section.dataset.assigneeId) : null),
    accept: (id, assigneeId) => {
      section.dataset.assigneeId = assigneeId === null ? '' : assigneeId;
    },
    shown: () => true,
    async reload(id) {
      const result = await api('GET', `/api/v1/articles/${id}`);
      return result.ok ? result.data.assignee_id : undefined;
    },
    done: (message) => { status.textContent = message; },
    refused: (message) => { error.textContent = message; },
    clear() { error.textContent = ''; status.textContent = ''; },
  };
}

export function initAssignment() {
  const claimRoot = byId('claim-assignment');
  if (claimRoot) drawClaim = assignmentControls(claimRoot, 'claim', claimPlace);
  const section = byId('article-assignment');
  if (section) assignmentControls(section, 'article', articlePlace(section))();
}
